/* SPDX-License-Identifier: Apache-2.0 */
/* __ASSERT(cond, fmt, ...): a kernel panic naming the condition, under CONFIG_ASSERT. */
#ifndef INOX_SYS_ASSERT_H_
#define INOX_SYS_ASSERT_H_

#include <inox/fatal.h>

#if defined(CONFIG_ASSERT)
#define __ASSERT(cond, fmt, ...)                                                                   \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			panic("ASSERTION FAIL [%s] @ %s:%d: " fmt, #cond, __FILE__, __LINE__,      \
			      ##__VA_ARGS__);                                                      \
		}                                                                                  \
	} while (0)
#else
#define __ASSERT(cond, fmt, ...) ((void)0)
#endif
#define __ASSERT_NO_MSG(cond) __ASSERT(cond, "")

#endif /* INOX_SYS_ASSERT_H_ */
