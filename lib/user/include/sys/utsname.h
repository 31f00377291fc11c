/* SPDX-License-Identifier: Apache-2.0 */
/* uname() (picolibc has no <sys/utsname.h>); the structure is the kernel's, Linux's layout. */
#ifndef INOX_USER_SYS_UTSNAME_H_
#define INOX_USER_SYS_UTSNAME_H_

#include <inox/uapi/utsname.h>

#ifdef __cplusplus
extern "C" {
#endif

int uname(struct utsname *buf);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SYS_UTSNAME_H_ */
