/* SPDX-License-Identifier: Apache-2.0 */
/* Small utilities: sizes, bits, alignment, container_of. */
#ifndef INOX_SYS_UTIL_H_
#define INOX_SYS_UTIL_H_

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a)                  (sizeof(a) / sizeof((a)[0]))
#define CONTAINER_OF(ptr, type, field) ((type *)(((char *)(ptr)) - offsetof(type, field)))
#define BIT(n)                         (1UL << (n))
#define GENMASK(h, l)                  (((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define ROUND_UP(x, a)                 ((((x) + ((a)-1)) / (a)) * (a))
#define ROUND_DOWN(x, a)               (((x) / (a)) * (a))
#define IS_ALIGNED(x, a)               (((x) & ((a)-1)) == 0)
#define MIN(a, b)                      (((a) < (b)) ? (a) : (b))
#define MAX(a, b)                      (((a) > (b)) ? (a) : (b))
#define KB(x)                          ((x) << 10)
#define MB(x)                          ((x) << 20)

/* IS_ENABLED(CONFIG_X): 1 if CONFIG_X is defined to 1, else 0; usable in C expressions. */
#define Z_IS_ENABLED_ONE_1                   0,
#define Z_IS_ENABLED_ARG2(ignored, val, ...) val
#define Z_IS_ENABLED3(arg_or_args)           Z_IS_ENABLED_ARG2(arg_or_args 1, 0, ~)
#define Z_IS_ENABLED2(x)                     Z_IS_ENABLED3(Z_IS_ENABLED_ONE_##x)
#define IS_ENABLED(config)                   Z_IS_ENABLED2(config)

/* COND_CODE_1(flag, (if_1), (else)): expands the first if flag is literally 1. */
#define Z_COND_CODE_1_1(if_code, else_code)      Z_DEBRACKET if_code
#define Z_COND_CODE_1_0(if_code, else_code)      Z_DEBRACKET else_code
#define Z_DEBRACKET(...)                         __VA_ARGS__
#define Z_COND_CODE_1_(flag, if_code, else_code) Z_COND_CODE_1_##flag(if_code, else_code)
#define Z_COND_CODE_1(flag, if_code, else_code)  Z_COND_CODE_1_(flag, if_code, else_code)
#define COND_CODE_1(flag, if_code, else_code)    Z_COND_CODE_1(Z_IS_ENABLED2(flag), if_code, else_code)
#define IF_ENABLED(flag, code)                   COND_CODE_1(flag, code, ())

#endif /* INOX_SYS_UTIL_H_ */
