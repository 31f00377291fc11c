/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Regions at the cap (CONFIG_MM_MAX_REGIONS, 256 in this scenario): one-page mappings of
 * alternating permissions until mmap fails with ENOMEM; then a munmap and an mprotect that
 * would split a region fail with ENOMEM and change nothing, while a munmap of whole regions
 * and an mprotect that splits nothing still work (they need no new record: memory and
 * regions can be given back at the cap); every page keeps its contents and permissions,
 * also in a forked child; after unmapping everything mmap works again and every page is
 * back.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <inox/check.h>

#define PAGE 4096
#define MAX  4096

static char *pages[MAX];

static int prot_of(int i)
{
	return (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE;
}

/* Every mapped page still holds what was written and has its permissions. */
static void check_contents(int n)
{
	for (int i = 0; i < n; i++) {
		if (pages[i] != NULL && (prot_of(i) & PROT_WRITE)) {
			CHECK(pages[i][0] == (char)i && pages[i][PAGE - 1] == (char)~i);
		} else if (pages[i] != NULL) {
			CHECK(pages[i][0] == 0);
		}
	}
}

static int regions(void)
{
	int n;
	pid_t pid;

	for (n = 0; n < MAX; n++) {
		pages[n] = mmap(NULL, PAGE, prot_of(n), MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pages[n] == MAP_FAILED) {
			CHECK(errno == ENOMEM);
			pages[n] = NULL;
			break;
		}
		if (prot_of(n) & PROT_WRITE) {
			pages[n][0] = (char)n;
			pages[n][PAGE - 1] = (char)~n;
		}
	}
	CHECK(n > 100 && n < MAX);
	printf("regions: cap reached after %d mappings\n", n);
	check_contents(n);

	/* Take one region away and make a bigger one: a hole in its middle needs a split. */
	CHECK(munmap(pages[n - 1], PAGE) == 0);
	pages[n - 1] = NULL;
	char *big =
		mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	memset(big, 0x5a, 4 * PAGE);
	/* At the cap again: splits fail and change nothing. */
	CHECK(munmap(big + PAGE, PAGE) == -1 && errno == ENOMEM);
	CHECK(mprotect(big + PAGE, PAGE, PROT_READ) == -1 && errno == ENOMEM);
	CHECK(big[PAGE] == 0x5a && big[3 * PAGE] == 0x5a);
	big[PAGE] = 1; /* still writable: the mprotect did not happen */
	CHECK(mprotect(big, 4 * PAGE, PROT_READ) == 0);
	CHECK(mprotect(pages[0], PAGE, PROT_READ) == 0);
	CHECK(mprotect(pages[0], PAGE, PROT_READ | PROT_WRITE) == 0);
	pages[0][1] = 2;
	check_contents(n);

	/* A child sees every region as the parent does. */
	pid = fork();
	if (pid == 0) {
		check_contents(n);
		_exit(failures);
	}
	CHECK(wait_status(pid) == 0);

	/* Give everything back: whole regions at the cap need no memory. */
	CHECK(munmap(big, 4 * PAGE) == 0);
	for (int i = 0; i < n; i++) {
		if (pages[i] != NULL) {
			CHECK(munmap(pages[i], PAGE) == 0);
		}
	}
	/* Below the cap again: a new mapping and a split work. */
	big = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	big[0] = 1;
	CHECK(munmap(big + PAGE, PAGE) == 0);
	CHECK(big[0] == 1);
	big[2 * PAGE] = 3;
	CHECK(munmap(big, 3 * PAGE) == 0);
	return failures;
}

int main(void)
{
	int status = run_accounted("regions", regions);

	CHECK(WIFEXITED(status));
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	printf("userspace regions: %d failures\n", failures);
	return failures != 0;
}
