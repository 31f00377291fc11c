/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Object caches (<inox/mm/cache.h>): objects of a page are distinct and aligned, pages are
 * taken only when no page has a free object and given back when their last object goes,
 * so the free-page count comes back exactly; freeing something that is not an object of
 * the cache, or freeing twice, panics with a report naming it; and every hart allocating
 * and freeing at once hands no object out twice.
 */
#include <string.h>
#include <inox/ztest.h>
#include <inox/mm/cache.h>
#include <inox/mm/page.h>

struct thing {
	uint64_t tag;
	char body[40];
	uint64_t tail;
};

MM_CACHE_DEFINE(things, struct thing);

#define MANY        400 /* several pages' worth */
#define SMP_ROUNDS  3000
#define SMP_BURST   24
#define STACK_SIZE  4096
#define MAX_THREADS MAX(CONFIG_MP_MAX_NUM_CPUS, 2)

static struct thing *held[MANY];
static unsigned long free_before;
static struct thing *victim;
static struct thing *keep;

static void *cache_setup(void)
{
	zassert_equal(things.size, 64, "struct thing rounds up to 64 bytes");
	return NULL;
}

/* The "b" half of a test pair reads what its "a" half left: no checks here. */
static void cache_before(void *fixture)
{
	free_before = mm_free_pages();
}

static void expect_empty(void)
{
	zassert_equal(things.objects, 0, "objects left from an earlier test");
	zassert_equal(things.pages, 0, "pages left from an earlier test");
}

ZTEST_SUITE(mm_cache, NULL, cache_setup, cache_before, NULL, NULL);

ZTEST(mm_cache, test_1_one_object_one_page)
{
	struct thing *t;

	expect_empty();
	t = mm_cache_alloc(&things);
	zassert_not_null(t);
	zassert_equal((uintptr_t)t % MM_CACHE_ALIGN, 0, "%p not aligned", t);
	zassert_equal(things.pages, 1);
	zassert_equal(mm_free_pages(), free_before - 1);
	mm_cache_free(&things, t);
	zassert_equal(things.pages, 0, "the empty page was kept");
	zassert_equal(mm_free_pages(), free_before, "the empty page did not go back");
}

ZTEST(mm_cache, test_2_many_objects_fill_pages)
{
	size_t per_page = mm_cache_per_page(&things);
	unsigned long pages = (MANY + per_page - 1) / per_page;

	expect_empty();
	zassert_true(per_page >= 60, "%zu objects of 64 bytes per page", per_page);
	for (unsigned int i = 0; i < MANY; i++) {
		held[i] = mm_cache_alloc(&things);
		zassert_not_null(held[i]);
		held[i]->tag = i;
		memset(held[i]->body, (int)i, sizeof(held[i]->body));
		held[i]->tail = ~(uint64_t)i;
	}
	zassert_equal(things.pages, pages, "%lu pages for %u objects, expected %lu", things.pages,
		      MANY, pages);
	zassert_equal(mm_free_pages(), free_before - pages);
	/* No two objects overlap: every one still holds what was written into it. */
	for (unsigned int i = 0; i < MANY; i++) {
		zassert_equal(held[i]->tag, i, "object %u overwritten", i);
		zassert_equal(held[i]->body[39], (char)i, "object %u overwritten", i);
		zassert_equal(held[i]->tail, ~(uint64_t)i, "object %u overwritten", i);
	}
	/* Free every third, then the rest: pages go back only when empty. */
	for (unsigned int i = 0; i < MANY; i += 3) {
		mm_cache_free(&things, held[i]);
	}
	zassert_equal(things.pages, pages, "a page with objects in use went back");
	for (unsigned int i = 0; i < MANY; i++) {
		if (i % 3 != 0) {
			mm_cache_free(&things, held[i]);
		}
	}
	zassert_equal(things.objects, 0);
	zassert_equal(things.pages, 0);
	zassert_equal(mm_free_pages(), free_before);
}

ZTEST(mm_cache, test_3_freed_slot_is_reused_before_a_new_page)
{
	size_t per_page = mm_cache_per_page(&things);
	struct thing *again;

	expect_empty();
	for (size_t i = 0; i < per_page; i++) {
		held[i] = mm_cache_alloc(&things);
		zassert_not_null(held[i]);
	}
	zassert_equal(things.pages, 1, "one full page");
	mm_cache_free(&things, held[5]);
	again = mm_cache_alloc(&things);
	zassert_equal(again, held[5], "a full page's freed object was not reused");
	zassert_equal(things.pages, 1, "a new page while the old one had room");
	for (size_t i = 0; i < per_page; i++) {
		mm_cache_free(&things, held[i]);
	}
	zassert_equal(mm_free_pages(), free_before);
}

ZTEST(mm_cache, test_4_zalloc_zeroes)
{
	struct thing *t = mm_cache_alloc(&things);

	memset(t, 0xa5, sizeof(*t));
	mm_cache_free(&things, t);
	t = mm_cache_zalloc(&things);
	zassert_not_null(t);
	zassert_equal(t->tag, 0);
	zassert_equal(t->body[17], 0);
	zassert_equal(t->tail, 0);
	mm_cache_free(&things, t);
}

static void expect_report(const char *fmt, const void *obj)
{
	char text[96];

	zassert_fatal_report_expected();
	snprintk(text, sizeof(text), fmt, obj);
	zassert_fatal_report_has(text);
}

ZTEST(mm_cache, test_5a_free_of_a_non_object)
{
	victim = mm_cache_alloc(&things);
	zassert_not_null(victim);
	ztest_set_fault_valid(true);
	mm_cache_free(&things, (char *)victim + 8);
	zassert_unreachable("freeing the middle of an object did not panic");
}

ZTEST(mm_cache, test_5b_free_of_a_non_object_report)
{
	expect_report("mm_cache_free: %p is not an object of cache things", (char *)victim + 8);
	/* The bad free changed nothing: the object is still in use. */
	zassert_equal(things.objects, 1);
	mm_cache_free(&things, victim);
	zassert_equal(things.pages, 0);
}

ZTEST(mm_cache, test_5c_double_free)
{
	keep = mm_cache_alloc(&things); /* keeps the page alive */
	zassert_not_null(keep);
	victim = mm_cache_alloc(&things);
	zassert_not_null(victim);
	mm_cache_free(&things, victim);
	ztest_set_fault_valid(true);
	mm_cache_free(&things, victim);
	zassert_unreachable("a double free did not panic");
}

ZTEST(mm_cache, test_5d_double_free_report)
{
	struct thing *a;
	struct thing *b;

	expect_report("mm_cache_free: %p of cache things freed twice", victim);
	zassert_equal(things.objects, 1, "the double free changed the count");
	/* The free list is intact: the next two allocations are distinct, and not `keep`. */
	a = mm_cache_alloc(&things);
	b = mm_cache_alloc(&things);
	zassert_true(a != NULL && b != NULL && a != b && a != keep && b != keep);
	mm_cache_free(&things, a);
	mm_cache_free(&things, b);
	mm_cache_free(&things, keep);
	zassert_equal(things.pages, 0);
}

/* -- Every hart at once ----------------------------------------------------------------- */

K_THREAD_STACK_ARRAY_DEFINE(stacks, MAX_THREADS, STACK_SIZE);
static struct k_thread threads[MAX_THREADS];
static atomic_t errors;
static atomic_t alloc_failures;

/* Allocates bursts, tags each object with its owner and checks the tag before freeing:
 * two threads handed the same object would overwrite each other's tag. */
static void hammer(void *p1, void *p2, void *p3)
{
	uint64_t id = (uint64_t)(long)p1;
	struct thing *mine[SMP_BURST];

	for (unsigned int round = 0; round < SMP_ROUNDS; round++) {
		for (unsigned int i = 0; i < SMP_BURST; i++) {
			mine[i] = mm_cache_alloc(&things);
			if (mine[i] == NULL) {
				atomic_inc(&alloc_failures);
				return;
			}
			mine[i]->tag = id << 32 | round << 8 | i;
			mine[i]->tail = mine[i]->tag;
		}
		for (unsigned int i = 0; i < SMP_BURST; i++) {
			if (mine[i]->tag != (id << 32 | round << 8 | i) ||
			    mine[i]->tail != mine[i]->tag) {
				atomic_inc(&errors);
			}
			mm_cache_free(&things, mine[i]);
		}
	}
}

ZTEST(mm_cache, test_6_every_hart_at_once)
{
	unsigned int harts = arch_num_cpus();
	unsigned int n = MAX(harts, 2U);

	expect_empty();
	for (unsigned int i = 0; i < n; i++) {
		k_thread_create(&threads[i], stacks[i], K_THREAD_STACK_SIZEOF(stacks[i]), hammer,
				(void *)(long)i, NULL, NULL, 5, 0, K_FOREVER);
		zassert_ok(k_thread_cpu_pin(&threads[i], (int)(i % harts)));
		k_thread_start(&threads[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(30)), "thread %u stuck", i);
	}
	zassert_equal(atomic_get(&alloc_failures), 0);
	zassert_equal(atomic_get(&errors), 0, "%ld objects were handed to two threads at once",
		      atomic_get(&errors));
	zassert_equal(things.objects, 0);
	zassert_equal(things.pages, 0);
	zassert_equal(mm_free_pages(), free_before);
}
