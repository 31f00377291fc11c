/* SPDX-License-Identifier: Apache-2.0 */
/* Atomic integers (sequentially consistent, on RISC-V's A extension through GCC builtins). */
#ifndef INOX_SYS_ATOMIC_H_
#define INOX_SYS_ATOMIC_H_

#include <stdbool.h>

typedef long atomic_t;
typedef long atomic_val_t;

#define ATOMIC_INIT(v) (v)

static inline atomic_val_t atomic_get(const atomic_t *a)
{
	return __atomic_load_n(a, __ATOMIC_SEQ_CST);
}

static inline void atomic_set(atomic_t *a, atomic_val_t v)
{
	__atomic_store_n(a, v, __ATOMIC_SEQ_CST);
}

/* Each returns the value before the operation. */
static inline atomic_val_t atomic_add(atomic_t *a, atomic_val_t v)
{
	return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST);
}

static inline atomic_val_t atomic_sub(atomic_t *a, atomic_val_t v)
{
	return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST);
}

static inline atomic_val_t atomic_inc(atomic_t *a)
{
	return atomic_add(a, 1);
}

static inline atomic_val_t atomic_dec(atomic_t *a)
{
	return atomic_sub(a, 1);
}

static inline atomic_val_t atomic_or(atomic_t *a, atomic_val_t v)
{
	return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST);
}

static inline atomic_val_t atomic_and(atomic_t *a, atomic_val_t v)
{
	return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST);
}

static inline atomic_val_t atomic_swap(atomic_t *a, atomic_val_t v)
{
	return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);
}

/* Stores new if *a == old; returns whether it did. */
static inline bool atomic_cas(atomic_t *a, atomic_val_t old, atomic_val_t new)
{
	return __atomic_compare_exchange_n(a, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/*
 * Adds v with acquire and release ordering (a reference-count drop): one amoadd.d.aqrl, the
 * mapping RVWMO gives for it. GCC 12 emits a fence and an amoadd.d.aq for
 * __ATOMIC_ACQ_REL, one instruction more on every page exit frees.
 */
static inline atomic_val_t atomic_add_acq_rel(atomic_t *a, atomic_val_t v)
{
	atomic_val_t old;

	__asm__ volatile("amoadd.d.aqrl %0, %2, %1" : "=r"(old), "+A"(*a) : "r"(v) : "memory");
	return old;
}

#endif /* INOX_SYS_ATOMIC_H_ */
