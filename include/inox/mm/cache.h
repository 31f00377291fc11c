/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Object caches (subsys/mm/cache.c): many small objects of one size packed into pages, for
 * the kernel's records (address spaces, regions, open files, pipes) that would otherwise
 * take a page each. In the spirit of Linux's kmem_cache; Zephyr's k_mem_slab is the same
 * idea over a fixed buffer, where these grow and shrink a page at a time.
 *
 * A cache takes a page from the page allocator when no page of it has a free object, and
 * gives a page back as soon as its last object is freed, so the free-page count returns to
 * where it was once every object allocated since is freed (the memory accounting of the
 * tests relies on it). Objects are aligned to MM_CACHE_ALIGN and not zeroed by
 * mm_cache_alloc(). Safe from any hart: one spinlock per cache.
 */
#ifndef INOX_MM_CACHE_H_
#define INOX_MM_CACHE_H_

#include <stddef.h>
#include <inox/spinlock.h>
#include <inox/sys/dlist.h>
#include <inox/sys/util.h>

#define MM_CACHE_ALIGN 16

struct mm_cache {
	const char *name;
	size_t size; /* object size, rounded up to MM_CACHE_ALIGN */
	struct k_spinlock lock;
	sys_dlist_t partial; /* pages with at least one free object */
	unsigned long pages; /* pages held */
	unsigned long objects; /* objects allocated */
};

/* Defines a cache `name` of objects of `type`. */
#define MM_CACHE_DEFINE(_name, _type)                                                              \
	struct mm_cache _name = {                                                                  \
		.name = #_name,                                                                    \
		.size = ROUND_UP(sizeof(_type), MM_CACHE_ALIGN),                                   \
		.partial = SYS_DLIST_STATIC_INIT(&_name.partial),                                  \
	}

/* An object of the cache's size, or NULL when out of memory (never panics). */
void *mm_cache_alloc(struct mm_cache *cache);

/* As mm_cache_alloc(), zeroed. */
void *mm_cache_zalloc(struct mm_cache *cache);

/* Frees an object from mm_cache_alloc() of the same cache. Panics if obj is not the start of
 * an object of a page of this cache. */
void mm_cache_free(struct mm_cache *cache, void *obj);

/* How many objects of the cache fit in one page. */
size_t mm_cache_per_page(const struct mm_cache *cache);

#endif /* INOX_MM_CACHE_H_ */
