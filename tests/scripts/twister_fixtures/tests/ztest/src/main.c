/* SPDX-License-Identifier: Apache-2.0 */
/* Never compiled: twister reads the ZTEST()s to know the cases before they run. */
ZTEST(fake, test_alpha)
{
}

ZTEST(fake, test_beta)
{
}

ZTEST_USER(fake, test_gamma)
{
}

ZTEST(fake, test_delta)
{
}
