/* SPDX-License-Identifier: Apache-2.0 */
/* Compiler attributes and helpers used across the tree (GCC). */
#ifndef INOX_TOOLCHAIN_H_
#define INOX_TOOLCHAIN_H_

#define __aligned(x)        __attribute__((aligned(x)))
#define __packed            __attribute__((packed))
#define __section(s)        __attribute__((section(s)))
#define __used              __attribute__((used))
#define __unused            __attribute__((unused))
#define __weak              __attribute__((weak))
#define __noreturn          __attribute__((noreturn))
#define __noinline          __attribute__((noinline))
#define __printf_like(f, a) __attribute__((format(printf, f, a)))
/* A compile-time check, as Zephyr's. */
#define BUILD_ASSERT(cond, msg) _Static_assert(cond, msg)
#define ALWAYS_INLINE           inline __attribute__((always_inline))
#define likely(x)               __builtin_expect(!!(x), 1)
#define unlikely(x)             __builtin_expect(!!(x), 0)

#define Z_STRINGIFY_(x) #x
#define STRINGIFY(x)    Z_STRINGIFY_(x)
#define Z_CONCAT_(a, b) a##b
#define Z_CONCAT(a, b)  Z_CONCAT_(a, b)

#define CODE_UNREACHABLE __builtin_unreachable()

#endif /* INOX_TOOLCHAIN_H_ */
