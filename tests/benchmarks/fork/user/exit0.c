/* SPDX-License-Identifier: Apache-2.0 */
/* The program the fork benchmark's children exec (/bin/exit0): exits with status 0 at once,
 * so that fork+exec+exit+wait measures the exec and the exit, not the program. */
int main(void)
{
	return 0;
}
