/* SPDX-License-Identifier: Apache-2.0 */
/* What uname() fills: Linux's struct new_utsname layout, shared by the kernel and user space. */
#ifndef INOX_UAPI_UTSNAME_H_
#define INOX_UAPI_UTSNAME_H_

#define INOX_UTSNAME_LEN 65

struct utsname {
	char sysname[INOX_UTSNAME_LEN];
	char nodename[INOX_UTSNAME_LEN];
	char release[INOX_UTSNAME_LEN];
	char version[INOX_UTSNAME_LEN];
	char machine[INOX_UTSNAME_LEN];
	char domainname[INOX_UTSNAME_LEN];
};

#endif /* INOX_UAPI_UTSNAME_H_ */
