/* SPDX-License-Identifier: Apache-2.0 */
/*
 * picolibc's <setjmp.h> plus sigsetjmp()/siglongjmp(), which it declares only for Cygwin and
 * RTEMS: a jmp_buf, whether the mask was saved, and the mask. sigsetjmp() must be a macro
 * (setjmp() returns twice in its caller's frame); siglongjmp() puts the mask back first.
 */
#ifndef INOX_USER_SETJMP_H_
#define INOX_USER_SETJMP_H_

#include_next <setjmp.h>
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	jmp_buf __jb;
	int __saved;
	sigset_t __mask;
} sigjmp_buf[1];

#define sigsetjmp(env, savemask)                                                                   \
	((env)[0].__saved = (savemask),                                                            \
	 (env)[0].__saved ? sigprocmask(SIG_BLOCK, NULL, &(env)[0].__mask) : 0,                    \
	 setjmp((env)[0].__jb))

void siglongjmp(sigjmp_buf env, int val) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SETJMP_H_ */
