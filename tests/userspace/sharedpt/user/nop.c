/* SPDX-License-Identifier: Apache-2.0 */
/* What a child of tests/userspace/sharedpt execs: exits at once, 0. */
int main(void)
{
	return 0;
}
