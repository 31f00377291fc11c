/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the files of ztest's own test application. */
#ifndef ZTEST_SELFTEST_H_
#define ZTEST_SELFTEST_H_

/* The global state test_main() hands to ztest_run_all(), for the predicates to check. */
extern const int ztest_selftest_state;

#endif /* ZTEST_SELFTEST_H_ */
