/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page allocator. Two levels:
 *
 * - The global free map: one bit per page of each bank, under mm_lock. Contiguous runs are
 *   found there, and it is where the caches refill from and drain to, in batches.
 * - A cache per hart: a small LIFO stack of free single pages. page_alloc() pops from this
 *   hart's stack and the last page_ref_put() pushes onto it, with interrupts off (so the
 *   thread cannot move to another hart) and only the cache's own lock, which another hart
 *   takes only when it finds no free page or no run in the free map and collects every
 *   cache back (drain_all_caches()). That lock sits in the hart's own cache line, so the
 *   fast path neither waits for nor bounces a line with another hart.
 *
 * Lock order: a hart's cache lock, then mm_lock. Never two cache locks at once.
 *
 * Reference counts take no lock at all: page_ref_put() frees on the decrement that returned
 * 1, and nothing reads the count again after the decrement.
 *
 * Poison checks and panics happen after every lock is dropped: a test that provokes one
 * (ztest longjmps out of the panic) must not leave a lock held.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/arch/mmu.h>
#include "page_internal.h"

#define CACHE_SIZE CONFIG_MM_PAGE_CACHE_SIZE
/* Pages a refill takes from, or a drain gives back to, the free map: half the cache, in steps
 * of CACHE_STEP, stopping after a step when an interrupt waits (interrupts are off meanwhile:
 * a step is a few hundred instructions). */
#define CACHE_BATCH   (CONFIG_MM_PAGE_CACHE_SIZE / 2)
#define CACHE_STEP    MIN(8, CACHE_BATCH)
#define RUN_ALIGN_MAX 512

_Static_assert(sizeof(struct page) <= 16, "struct page grew past 16 bytes");

struct page_cache {
	struct k_spinlock lock;
	unsigned int count;
	struct page *pages[CACHE_SIZE]; /* pages[count - 1] is the most recently freed */
} __aligned(64);

struct mm_bank mm_banks[Z_RAM_BANKS_MAX];
unsigned int mm_num_banks;
struct k_spinlock mm_lock;
unsigned long mm_reserved_pages;

static struct page_cache caches[CONFIG_MP_MAX_NUM_CPUS];
/* Pages of shared mappings (PAGE_FLAG_SHARED) not yet freed. */
static atomic_t mm_shared;

static struct mm_bank *bank_of_page(const struct page *page)
{
	for (unsigned int i = 0; i < mm_num_banks; i++) {
		struct mm_bank *b = &mm_banks[i];

		if (page >= b->pages && page < b->pages + b->npages) {
			return b;
		}
	}
	panic("bank_of_page: %p is not a struct page", page);
}

unsigned long page_to_pfn(const struct page *page)
{
	struct mm_bank *b = bank_of_page(page);

	return b->base_pfn + (unsigned long)(page - b->pages);
}

uintptr_t page_to_pa(const struct page *page)
{
	return (uintptr_t)page_to_pfn(page) << PAGE_SHIFT;
}

void *page_to_virt(const struct page *page)
{
	return z_phys_to_virt(page_to_pa(page));
}

struct page *pa_to_page(uintptr_t pa)
{
	unsigned long pfn = pa >> PAGE_SHIFT;

	for (unsigned int i = 0; i < mm_num_banks; i++) {
		struct mm_bank *b = &mm_banks[i];

		if (pfn >= b->base_pfn && pfn - b->base_pfn < b->npages) {
			struct page *page = &b->pages[pfn - b->base_pfn];

			return (page->flags & PAGE_FLAG_RESERVED) ? NULL : page;
		}
	}
	return NULL;
}

unsigned long page_ref_count(const struct page *page)
{
	return (unsigned long)atomic_get(&page->count);
}

bool page_ref_put_unless_last(struct page *page)
{
	long old = __atomic_load_n(&page->count, __ATOMIC_ACQUIRE);

	while (old > 1) {
		if (__atomic_compare_exchange_n(&page->count, &old, old - 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			return true;
		}
	}
	if (old < 1) {
		panic("page_ref_put_unless_last: pfn %lx is free (count %ld)", page_to_pfn(page),
		      old);
	}
	return false;
}

/* -- The global free map (mm_lock held) ------------------------------------------------------ */

/* Index of the first bit in [from, to) that equals `set`, or `to`. */
static unsigned long map_find(const unsigned long *map, unsigned long from, unsigned long to,
			      bool set)
{
	while (from < to) {
		unsigned long w = map[from / BITS_PER_WORD];

		if (!set) {
			w = ~w;
		}
		w >>= from % BITS_PER_WORD;
		if (w != 0) {
			return MIN(from + __builtin_ctzl(w), to);
		}
		from = ROUND_DOWN(from, BITS_PER_WORD) + BITS_PER_WORD;
	}
	return to;
}

/* Moves up to max single pages out of the free map into out[]; returns how many. */
static unsigned int map_take(struct page **out, unsigned int max)
{
	unsigned int got = 0;

	for (unsigned int i = 0; i < mm_num_banks && got < max; i++) {
		struct mm_bank *b = &mm_banks[i];
		unsigned long nwords = ROUND_UP(b->npages, BITS_PER_WORD) / BITS_PER_WORD;
		unsigned long w = b->cursor;

		while (b->free > 0 && got < max) {
			unsigned long bits = b->free_map[w];

			while (bits != 0 && got < max) {
				out[got++] = &b->pages[w * BITS_PER_WORD + __builtin_ctzl(bits)];
				bits &= bits - 1;
				b->free--;
			}
			b->free_map[w] = bits;
			if (bits == 0) {
				w = (w + 1 == nwords) ? 0 : w + 1;
			}
		}
		b->cursor = w;
	}
	return got;
}

/* Puts pages[0..n-1] back into the free map. */
static void map_give(struct page *const *pages, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct mm_bank *b = bank_of_page(pages[i]);
		unsigned long idx = (unsigned long)(pages[i] - b->pages);

		b->free_map[idx / BITS_PER_WORD] |= BIT(idx % BITS_PER_WORD);
		b->free++;
	}
}

/*
 * Takes n free pages starting at a pfn that is a multiple of align out of the free map;
 * returns the first, or NULL if there is no such run.
 */
static struct page *map_take_run(size_t n, unsigned long align)
{
	for (unsigned int i = 0; i < mm_num_banks; i++) {
		struct mm_bank *b = &mm_banks[i];
		unsigned long start = ROUND_UP(b->base_pfn, align) - b->base_pfn;

		while (b->free >= n && start + n <= b->npages) {
			unsigned long hole = map_find(b->free_map, start, start + n, false);

			if (hole == start + n) {
				for (unsigned long p = start; p < start + n; p++) {
					b->free_map[p / BITS_PER_WORD] &= ~BIT(p % BITS_PER_WORD);
				}
				b->free -= n;
				return &b->pages[start];
			}
			hole = map_find(b->free_map, hole + 1, b->npages, true);
			start = ROUND_UP(b->base_pfn + hole, align) - b->base_pfn;
		}
	}
	return NULL;
}

/* -- Per-hart caches ----------------------------------------------------------------------- */

/*
 * Locks this hart's cache and returns it. Interrupts go off first, so the thread stays on
 * this hart until cache_unlock(); *key restores the caller's interrupt state.
 */
static struct page_cache *cache_lock(k_spinlock_key_t *key)
{
	unsigned long irq = arch_irq_lock();
	struct page_cache *c = &caches[arch_curr_cpu_id()];

	*key = k_spin_lock(&c->lock);
	key->key = irq;
	return c;
}

static void cache_unlock(struct page_cache *c, k_spinlock_key_t key)
{
	k_spin_unlock(&c->lock, key);
}

/* Fills c with up to CACHE_BATCH pages from the free map (fewer if an interrupt waits).
 * Expects c's lock. */
static void cache_refill(struct page_cache *c)
{
	k_spinlock_key_t key = k_spin_lock(&mm_lock);
	unsigned int want = MIN(CACHE_BATCH, CACHE_SIZE - c->count);

	for (unsigned int got = 0, n; got < want; got += n) {
		n = map_take(&c->pages[c->count], MIN(CACHE_STEP, want - got));
		c->count += n;
		if (n == 0 || arch_irq_pending()) {
			break;
		}
	}
	k_spin_unlock(&mm_lock, key);
}

/* Moves up to n of the least recently freed pages of c to the free map: at least
 * CACHE_STEP (or n), more while no interrupt waits. Expects c's lock. */
static void cache_drain(struct page_cache *c, unsigned int n)
{
	k_spinlock_key_t key = k_spin_lock(&mm_lock);
	unsigned int gone = 0;

	while (gone < n) {
		unsigned int k = MIN(CACHE_STEP, n - gone);

		map_give(&c->pages[gone], k);
		gone += k;
		if (arch_irq_pending()) {
			break;
		}
	}
	k_spin_unlock(&mm_lock, key);
	c->count -= gone;
	memmove(c->pages, &c->pages[gone], c->count * sizeof(c->pages[0]));
}

/*
 * Empties every hart's cache into the free map, so that no free page is out of reach when
 * memory runs short or a run is wanted. Expects no cache lock held.
 */
static void drain_all_caches(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(caches); i++) {
		struct page_cache *c = &caches[i];
		bool empty;

		/* Step by step, letting interrupts in between (cache_drain() may stop early). */
		do {
			k_spinlock_key_t key = k_spin_lock(&c->lock);

			if (c->count > 0) {
				cache_drain(c, c->count);
			}
			empty = c->count == 0;
			k_spin_unlock(&c->lock, key);
		} while (!empty);
	}
}

/* Pops a page from this hart's cache, refilling it if empty; NULL if no page is free. */
static struct page *cache_pop(void)
{
	k_spinlock_key_t key;
	struct page_cache *c = cache_lock(&key);
	struct page *page = NULL;

	if (c->count == 0) {
		cache_refill(c);
	}
	if (c->count == 0) {
		/* The free map is empty: take back what the other harts hold, then retry. */
		cache_unlock(c, key);
		drain_all_caches();
		c = cache_lock(&key);
		if (c->count == 0) {
			cache_refill(c);
		}
	}
	if (c->count > 0) {
		page = c->pages[--c->count];
	}
	cache_unlock(c, key);
	return page;
}

/* Pushes a free page onto this hart's cache, first draining half of a full one. */
static void cache_push(struct page *page)
{
	k_spinlock_key_t key;
	struct page_cache *c = cache_lock(&key);

	if (c->count == CACHE_SIZE) {
		cache_drain(c, CACHE_BATCH);
	}
	c->pages[c->count++] = page;
	cache_unlock(c, key);
}

/* -- Allocation and freeing ------------------------------------------------------------------ */

/*
 * Panics at the first word of a poisoned page that is not PAGE_POISON: someone wrote to
 * the page after it was freed. Expects the page to be ours (count 1) and no lock held.
 */
static void poison_check(struct page *page)
{
	const uint64_t *w = page_to_virt(page);

	for (unsigned int i = 0; i < PAGE_SIZE / sizeof(*w); i++) {
		if (unlikely(w[i] != PAGE_POISON)) {
			panic("page_alloc: pfn %lx written after free: offset 0x%x holds 0x%lx "
			      "(use after free)",
			      page_to_pfn(page), (unsigned int)(i * sizeof(*w)),
			      (unsigned long)w[i]);
		}
	}
}

/* Makes a page just taken from the free structures an allocated one: count 1, poison checked. */
static void page_prepare(struct page *page)
{
	long old = atomic_swap(&page->count, 1);

	if (unlikely(old != 0)) {
		panic("page_alloc: pfn %lx was free with count %ld", page_to_pfn(page), old);
	}
	if (IS_ENABLED(CONFIG_MM_PAGE_POISON) && (page->flags & PAGE_FLAG_POISONED)) {
		poison_check(page);
		page->flags &= ~PAGE_FLAG_POISONED;
	}
}

struct page *page_alloc(void)
{
	struct page *page = cache_pop();

	if (page != NULL) {
		page_prepare(page);
	}
	return page;
}

struct page *page_alloc_zeroed(void)
{
	struct page *page = page_alloc();

	if (page != NULL) {
		page_zero(page_to_virt(page));
	}
	return page;
}

struct page *page_alloc_run(size_t n)
{
	unsigned long align = 1;
	struct page *first;
	k_spinlock_key_t key;

	if (n == 0) {
		return NULL;
	}
	while (align < n && align < RUN_ALIGN_MAX) {
		align <<= 1;
	}
	key = k_spin_lock(&mm_lock);
	first = map_take_run(n, align);
	k_spin_unlock(&mm_lock, key);
	if (first == NULL) {
		drain_all_caches();
		key = k_spin_lock(&mm_lock);
		first = map_take_run(n, align);
		k_spin_unlock(&mm_lock, key);
	}
	if (first != NULL) {
		for (size_t i = 0; i < n; i++) {
			page_prepare(&first[i]);
		}
	}
	return first;
}

/* Returns a page whose last reference is gone to this hart's cache, poisoned. */
static void page_free(struct page *page)
{
	if (page->flags & PAGE_FLAG_SHARED) {
		page->flags &= ~PAGE_FLAG_SHARED;
		atomic_dec(&mm_shared);
	}
	if (IS_ENABLED(CONFIG_MM_PAGE_POISON)) {
		page_fill(page_to_virt(page), PAGE_POISON);
		page->flags |= PAGE_FLAG_POISONED;
	}
	cache_push(page);
}

void z_page_ref_get_bad(struct page *page, long old)
{
	atomic_dec(&page->count);
	if (old <= 0) {
		panic("page_ref_get: pfn %lx is free (count %ld)", page_to_pfn(page), old);
	}
	panic("page_ref_get: pfn %lx count %ld would overflow", page_to_pfn(page), old);
}

void z_page_ref_put_last(struct page *page, long old)
{
	if (old == 1) {
		page_free(page);
		return;
	}
	atomic_inc(&page->count);
	panic("page_ref_put: pfn %lx count already %ld", page_to_pfn(page), old);
}

struct page *mm_bank_of(uintptr_t pa, unsigned long *base_pfn, unsigned long *npages)
{
	unsigned long pfn = pa >> PAGE_SHIFT;

	for (unsigned int i = 0; i < mm_num_banks; i++) {
		struct mm_bank *b = &mm_banks[i];

		if (pfn >= b->base_pfn && pfn - b->base_pfn < b->npages) {
			*base_pfn = b->base_pfn;
			*npages = b->npages;
			return b->pages;
		}
	}
	return NULL;
}

/* -- Counters ---------------------------------------------------------------------------- */

unsigned long mm_free_pages(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < mm_num_banks; i++) {
		n += __atomic_load_n(&mm_banks[i].free, __ATOMIC_RELAXED);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(caches); i++) {
		n += __atomic_load_n(&caches[i].count, __ATOMIC_RELAXED);
	}
	return n;
}

unsigned long mm_total_pages(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < mm_num_banks; i++) {
		n += mm_banks[i].npages;
	}
	return n;
}

void page_mark_shared(struct page *p)
{
	p->flags |= PAGE_FLAG_SHARED;
	atomic_inc(&mm_shared);
}

unsigned long mm_shared_pages(void)
{
	return atomic_get(&mm_shared);
}

void mm_stats_get(struct mm_stats *stats)
{
	stats->shared_pages = mm_shared_pages();
	stats->total_pages = mm_total_pages();
	stats->free_pages = mm_free_pages();
	stats->reserved_pages = mm_reserved_pages;
}
