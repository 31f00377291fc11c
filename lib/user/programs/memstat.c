/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memstat: prints the kernel's memory counters (SYS_inox_memstat), what copy-on-write fork
 * shared and copied. An application adds it to its initramfs with
 *   inox_user_program(memstat SOURCES ${INOX_BASE}/lib/user/programs/memstat.c)
 */
#include <stdio.h>
#include <inox/memstat.h>

int main(void)
{
	struct inox_memstat st;

	if (inox_memstat(&st) != 0) {
		perror("memstat");
		return 1;
	}
	printf("free pages:           %llu of %llu (%llu KiB free)\n",
	       (unsigned long long)st.free_pages, (unsigned long long)st.total_pages,
	       (unsigned long long)st.free_pages * 4);
	printf("page-table pages:     %llu\n", (unsigned long long)st.page_table_pages);
	printf("shared memory pages:  %llu\n", (unsigned long long)st.shared_pages);
	printf("committed:            %llu of %llu pages (%s overcommit)\n",
	       (unsigned long long)st.committed_pages, (unsigned long long)st.commit_limit_pages,
	       st.overcommit_mode == INOX_OVERCOMMIT_NEVER  ? "strict, no" :
	       st.overcommit_mode == INOX_OVERCOMMIT_ALWAYS ? "always" :
							      "heuristic");
	printf("pages shared at fork: %llu\n", (unsigned long long)st.pages_shared_at_fork);
	printf("pages copied at fork: %llu\n", (unsigned long long)st.pages_copied_at_fork);
	printf("COW faults:           %llu\n", (unsigned long long)st.cow_faults);
	printf("COW copies:           %llu\n", (unsigned long long)st.cow_copies);
	printf("COW in-place reuses:  %llu\n", (unsigned long long)st.cow_reuses);
	printf("tables shared at fork: %llu (copied %llu, taken back %llu)\n",
	       (unsigned long long)st.tables_shared_at_fork, (unsigned long long)st.table_copies,
	       (unsigned long long)st.table_reuses);
	printf("zero page mappings:   %llu (%llu loads mapped it, %llu stores replaced it)\n",
	       (unsigned long long)st.zero_page_maps, (unsigned long long)st.zero_page_faults,
	       (unsigned long long)st.zero_page_breaks);
	return 0;
}
