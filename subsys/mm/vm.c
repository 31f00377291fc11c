/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User address spaces: Sv39 page tables under a root whose upper half is the kernel's, the
 * region list, fork (copy-on-write or eager), brk, anonymous mmap (private and shared) and the
 * page-fault handler. See <inox/mm/vm.h> for the locking rules.
 *
 * Copy-on-write (CONFIG_MM_COW): fork shares every present user page. Pages of writable
 * regions become read-only and COW-marked in parent and child; pages of read-only regions are
 * shared read-only and never marked, so a store to program text still faults and kills.
 * A store to a COW page copies it, or, when the process holds the only reference, makes it
 * writable in place.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/mm/cache.h>
#include <inox/mm/page.h>
#include <inox/mm/vm.h>

/* Pages fork shares (COW) or copies (eager) between looks for a pending interrupt: about 600
 * and 3,000 instructions with interrupts off (a whole leaf table would be 8,500 and
 * 800,000). */
#define FORK_COW_BATCH   32
#define FORK_EAGER_BATCH 2

struct vm_stats vm_stats;

/*
 * The zero page (CONFIG_MM_ZERO_PAGE): one zeroed page that a load from untouched private
 * anonymous memory maps read-only, so that memory only read costs no page. It is never
 * written: every mapping of it lacks write, and a store goes to zero_page_break(). It holds
 * a reference of its own besides one per mapping, so no put ever frees it, and its count
 * never reads 1 to cow_break() (which it never reaches anyway). Made with the first address
 * space, so that a kernel without processes (the allocator's tests) has every page free.
 */
static struct page *zero_page;
/* Its pfn, for the per-page test (page_to_pfn() searches the banks). Set before zero_page,
 * so that a PTE mapping the zero page is always recognized. */
static unsigned long zero_pfn;

static void zero_page_make(void)
{
	unsigned long none = 0;
	struct page *p;

	if (!IS_ENABLED(CONFIG_MM_ZERO_PAGE) || __atomic_load_n(&zero_pfn, __ATOMIC_ACQUIRE)) {
		return;
	}
	p = page_alloc_zeroed();
	if (p == NULL) {
		return;
	}
	/* Two harts creating the first spaces at once: one page wins, the other goes back. */
	if (__atomic_compare_exchange_n(&zero_pfn, &none, page_to_pfn(p), false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		__atomic_store_n(&zero_page, p, __ATOMIC_RELEASE);
	} else {
		page_ref_put(p);
	}
}

static inline bool is_zero_page(pte_t pte)
{
	return IS_ENABLED(CONFIG_MM_ZERO_PAGE) && !pte_none(pte) && pte_pfn(pte) == zero_pfn;
}

unsigned long vm_zero_page_maps(void)
{
	return zero_page != NULL ? page_ref_count(zero_page) - 1 : 0;
}

/* The contract of every function that changes tables or regions: vm->lock held, or the space
 * detached (reachable from nowhere but its caller: a fork's child until fork returns, a space
 * being destroyed). Checked in CONFIG_ASSERT builds. */
static inline void vm_assert_locked(struct vm_space *vm)
{
	__ASSERT(vm->detached || k_spin_is_held(&vm->lock), "vm %p: lock not held", vm);
}

static inline void stat_inc(unsigned long *counter, long n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* Leaf tables may be shared between spaces at fork (CONFIG_MM_COW_SHARED_PT). */
#define SHARED_PT IS_ENABLED(CONFIG_MM_COW_SHARED_PT)

/*
 * A page-table page, zeroed unless the caller will write all of it (raw), counted, and put on
 * the space's list of tables (chained by pfn through struct page's spare field), so that
 * destroying the space frees its tables without scanning them; with SHARED_PT a leaf table
 * (leaf) is not listed: fork may hand it to another space, and destroy finds it from its
 * level-1 entry instead. NULL when out of memory.
 */
static struct page *pt_alloc_page(struct vm_space *vm, bool leaf, bool raw)
{
	struct page *p = raw ? page_alloc() : page_alloc_zeroed();

	if (p == NULL) {
		return NULL;
	}
	stat_inc(&vm_stats.page_table_pages, 1);
	if (!(leaf && SHARED_PT)) {
		p->spare = vm->pt_head;
		vm->pt_head = page_to_pfn(p);
		vm->pt_pages++;
	}
	return p;
}

static pte_t *pt_alloc(struct vm_space *vm, bool leaf, bool raw)
{
	struct page *p = pt_alloc_page(vm, leaf, raw);

	return p != NULL ? page_to_virt(p) : NULL;
}

/* Frees a table page that is not on any list (a SHARED_PT leaf table), its entries gone. */
static void pt_free_unlisted(struct page *table)
{
	stat_inc(&vm_stats.page_table_pages, -1);
	page_ref_put(table);
}

struct pt_alloc_ctx {
	struct vm_space *vm;
	bool raw_leaf;
};

static pte_t *pt_alloc_cb(void *arg, bool leaf)
{
	struct pt_alloc_ctx *ctx = arg;

	return pt_alloc(ctx->vm, leaf, ctx->raw_leaf && leaf);
}

static int pt_unshare(struct vm_space *vm, pmd_t *pmd, k_spinlock_key_t *key);

/*
 * The leaf entry for va: creates the tables on the way (NULL if out of memory) and first
 * takes back a leaf table shared at fork (pt_unshare()). A leaf table created with raw_leaf
 * is not zeroed: the caller writes all its entries. vm->lock held, let go now and then
 * (*key), or the space private (key NULL).
 */
static pte_t *walk_tables(struct vm_space *vm, uintptr_t va, bool raw_leaf, k_spinlock_key_t *key)
{
	struct pt_alloc_ctx ctx = {vm, raw_leaf};
	pte_t *pte;
	pmd_t *pmd;
	uintptr_t stop;

	vm_assert_locked(vm);
	pte = arch_pt_walk(vm->root, va, pt_alloc_cb, &ctx);
	if (pte != NULL || !SHARED_PT) {
		return pte;
	}
	/* The walker stops at a shared leaf table: make it ours, then walk again. */
	pmd = arch_pt_dir(vm->root, va, va + 1, &stop, NULL, NULL);
	if (pmd == NULL || !pmd_shared(*pmd) || pt_unshare(vm, pmd, key) != 0) {
		return NULL;
	}
	return arch_pt_walk(vm->root, va, pt_alloc_cb, &ctx);
}

static pte_t *walk(struct vm_space *vm, uintptr_t va, k_spinlock_key_t *key)
{
	pte_t *pte = pt_lookup(vm->root, va);

	return pte != NULL ? pte : walk_tables(vm, va, false, key);
}

static MM_CACHE_DEFINE(vm_space_cache, struct vm_space);
static MM_CACHE_DEFINE(vm_region_cache, struct vm_region);

static struct vm_region *region_of(struct rbnode *n)
{
	return n != NULL ? CONTAINER_OF(n, struct vm_region, node) : NULL;
}

static struct vm_region *region_first(const struct vm_space *vm)
{
	return region_of(rb_first(&vm->regions));
}

static struct vm_region *region_next(const struct vm_region *r)
{
	return region_of(rb_next(&r->node));
}

/* The first region that ends above va (contains it, or is the next one up), or NULL. vm->lock
 * held. O(log regions). */
static struct vm_region *region_from(const struct vm_space *vm, uintptr_t va)
{
	struct rbnode *n = vm->regions.root;
	struct vm_region *found = NULL;

	while (n != NULL) {
		struct vm_region *r = region_of(n);

		if (r->end > va) {
			found = r;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return found;
}

struct vm_region *vm_region_find(struct vm_space *vm, uintptr_t va)
{
	struct vm_region *r;

	vm_assert_locked(vm);
	r = region_from(vm, va);

	return r != NULL && r->start <= va ? r : NULL;
}

static struct vm_region *region_alloc(void)
{
	return mm_cache_alloc(&vm_region_cache);
}

/* Whether vm may have one more region (CONFIG_MM_MAX_REGIONS). vm->lock held. */
static bool region_room(struct vm_space *vm)
{
	vm_assert_locked(vm);
	return vm->nr_regions < CONFIG_MM_MAX_REGIONS;
}

static void region_free(struct vm_region *r)
{
	mm_cache_free(&vm_region_cache, r);
}

/* Puts r in the tree; the caller made sure it overlaps nothing. vm->lock held. */
static void region_link(struct vm_space *vm, struct vm_region *r)
{
	struct rbnode **link = &vm->regions.root;
	struct rbnode *parent = NULL;

	vm_assert_locked(vm);
	while (*link != NULL) {
		parent = *link;
		link = r->start < region_of(parent)->start ? &parent->left : &parent->right;
	}
	rb_insert(&vm->regions, &r->node, parent, link);
	vm->nr_regions++;
}

static void region_unlink(struct vm_space *vm, struct vm_region *r)
{
	vm_assert_locked(vm);
	rb_erase(&vm->regions, &r->node);
	vm->nr_regions--;
}

/* Inserts r: 0, -EINVAL (overlap), -ENOMEM (region cap). vm->lock held. */
static int region_insert(struct vm_space *vm, struct vm_region *r)
{
	struct vm_region *o = region_from(vm, r->start);

	if (o != NULL && o->start < r->end) {
		return -EINVAL;
	}
	if (!region_room(vm)) {
		return -ENOMEM;
	}
	region_link(vm, r);
	return 0;
}

struct vm_space *vm_space_create(void)
{
	struct vm_space *vm = mm_cache_zalloc(&vm_space_cache);

	if (vm == NULL) {
		return NULL;
	}
	zero_page_make();
	vm->mmap_next = USER_MMAP_BASE;
	vm->root = pt_alloc(vm, false, false);
	if (vm->root == NULL) {
		mm_cache_free(&vm_space_cache, vm);
		return NULL;
	}
	arch_pt_root_init(vm->root);
	return vm;
}

/* The end of what may be mapped in r: the heap only up to the break. */
static uintptr_t populated_end(const struct vm_space *vm, const struct vm_region *r)
{
	return r->kind == VM_HEAP ? MIN(r->end, ROUND_UP(vm->brk, PAGE_SIZE)) : r->end;
}

/* Pages of [start, end) in r's charged extent (all of r, the heap only up to the break),
 * whether or not r is charged. */
static unsigned long extent_pages(const struct vm_space *vm, const struct vm_region *r,
				  uintptr_t start, uintptr_t end)
{
	uintptr_t lo = MAX(start, r->start);
	uintptr_t hi = MIN(end, populated_end(vm, r));

	return lo < hi ? (hi - lo) / PAGE_SIZE : 0;
}

/* Pages of [start, end) that r has charged to the commit count (VM_REGION_ACCOUNT). */
static unsigned long charged_pages(const struct vm_space *vm, const struct vm_region *r,
				   uintptr_t start, uintptr_t end)
{
	return (r->flags & VM_REGION_ACCOUNT) ? extent_pages(vm, r, start, end) : 0;
}

/* Whether making r writable charges it: private memory not charged yet (Linux's
 * accountable_mapping()). */
static bool charges_when_writable(const struct vm_region *r)
{
	return !(r->flags & (VM_REGION_ACCOUNT | VM_REGION_SHARED | VM_REGION_NORESERVE));
}

/* How often a walk under vm->lock looks for a pending interrupt (each step a few hundred
 * instructions with interrupts off): regions a walk over the tree edits, leaf entries a walk
 * over the tables changes, and 2 MiB steps over missing leaf tables. */
#define REGIONS_PER_HOLD 8
#define PTES_PER_HOLD    32
#define STEPS_PER_HOLD   32

/* Lets vm->lock go and takes it again, so that a long walk lets interrupts in; safe for
 * the reason <inox/mm/vm.h> gives (the space's one thread is the one walking). */
static void relax(struct vm_space *vm, k_spinlock_key_t *key)
{
	k_spin_unlock(&vm->lock, *key);
	*key = k_spin_lock(&vm->lock);
}

/* relax() if an interrupt waits: the walks look every so often, and pay for the lock's round
 * trip only when it lets something in (as Linux's spin_needbreak()). */
static void relax_if_pending(struct vm_space *vm, k_spinlock_key_t *key)
{
	if (arch_irq_pending()) {
		relax(vm, key);
	}
}

typedef void (*leaf_fn_t)(pte_t *l0, unsigned int first, unsigned int last, void *arg);

/*
 * Calls fn(l0, first, last, arg) for each leaf table under [start, end), with the range of
 * its entries that lies there; skips what has no tables. With key, vm->lock is held and is
 * let go after every PTES_PER_HOLD entries and STEPS_PER_HOLD empty steps, so that a long
 * walk lets interrupts in (safe for the reason given in <inox/mm/vm.h>); without, the space
 * is private and fn gets whole tables.
 */
static void for_each_leaf(struct vm_space *vm, uintptr_t start, uintptr_t end,
			  k_spinlock_key_t *key, leaf_fn_t fn, void *arg)
{
	unsigned int steps = 0;
	uintptr_t stop;

	if (key != NULL) {
		__ASSERT(k_spin_is_held(&vm->lock), "for_each_leaf: vm %p lock not held", vm);
	}
	for (uintptr_t va = start; va < end; va = stop) {
		pte_t *l0 = arch_pt_leaf(vm->root, va, end, &stop);
		unsigned int last = pt_leaf_index(stop - 1);

		if (key == NULL) {
			if (l0 != NULL) {
				fn(l0, pt_leaf_index(va), last, arg);
			}
			continue;
		}
		for (unsigned int i = pt_leaf_index(va); l0 != NULL && i <= last;
		     i += PTES_PER_HOLD) {
			fn(l0, i, MIN(i + PTES_PER_HOLD - 1, last), arg);
			relax_if_pending(vm, key);
		}
		if (l0 == NULL && ++steps % STEPS_PER_HOLD == 0) {
			relax_if_pending(vm, key);
		}
	}
}

/*
 * The struct pages of one RAM bank as the PTE loops of fork and exit see them: a PTE with
 * pfn - base < npages maps &pages[pfn - base]. A loop keeps its window in a local
 * (registers) and refills it from window_of() when a PTE falls outside; the empty window
 * {0} misses at once. One subtraction and one compare both find the page and check it is in
 * the bank.
 *
 * These loops also rely on the MMU interface's promise that an unmapped PTE is 0, so
 * "pte_none()" is one branch.
 */
struct page_window {
	unsigned long base;
	unsigned long npages;
	struct page *pages;
};

static struct page_window window_of(pte_t pte)
{
	unsigned long base;
	unsigned long npages;
	struct page *pages = mm_bank_of(pte_pa(pte), &base, &npages);

	if (pages == NULL) {
		panic("vm: pte %lx maps no managed RAM", (unsigned long)pte);
	}
	return (struct page_window){base, npages, pages};
}

static inline struct page *window_page(struct page_window *w, pte_t pte)
{
	unsigned long off = pte_pfn(pte) - w->base;

	if (unlikely(off >= w->npages)) {
		*w = window_of(pte);
		off = pte_pfn(pte) - w->base;
	}
	return &w->pages[off];
}

/* Puts the mapped pages of l0[first..last] (arg: the struct page_window). Exit's per-page
 * cost: keep it short. */
static __noinline void put_range(pte_t *l0, unsigned int first, unsigned int last, void *arg)
{
	struct page_window *win = arg;
	struct page_window w = *win;

	/* A pointer loop: an unsigned int index costs two more instructions a page here. */
#pragma GCC unroll 4
	for (const pte_t *p = &l0[first], *e = &l0[last]; p <= e; p++) {
		if (!pte_none(*p)) {
			page_ref_put(window_page(&w, *p));
		}
	}
	*win = w;
}

/*
 * Shared leaf tables (SHARED_PT). A COW fork hands each populated leaf table to the child
 * whole: the table's struct page counts the spaces holding it, and each holder's level-1
 * entry is invalid (pmd_shared()), so that the first access of any of them faults. The
 * table's entries keep the one page reference each they had in the parent: a page's count
 * counts the tables (not the spaces) mapping it. Invariants:
 *
 * - an installed (pmd_present()) leaf table has count 1 and belongs to that space alone, so
 *   cow_break()'s "count 1 means ours alone" still holds for its pages;
 * - a shared table is written by no holder except to COW-mark its entries (pt_unshare(),
 *   the same value from any hart), until one holder is left, which takes it back;
 * - whoever finds its reference the last (page_ref_put_unless_last()) empties the table:
 *   re-installs it (pt_unshare()) or puts its pages and frees it (shared_table_put()).
 */

/*
 * Drops one holder's reference on the shared leaf table `table`; the last one also puts the
 * pages it maps and frees it. No lock needed: the count decides. With key, vm->lock is held
 * and let go every PTES_PER_HOLD entries (the table is out of everyone's reach by then); key
 * NULL (a private space being destroyed) puts the table in one go.
 */
static void shared_table_put(struct vm_space *vm, struct page *table, k_spinlock_key_t *key)
{
	unsigned int step = key != NULL ? PTES_PER_HOLD : PT_LEAF_ENTRIES;
	struct page_window w = {0};

	if (page_ref_put_unless_last(table)) {
		return;
	}
	for (unsigned int i = 0; i < PT_LEAF_ENTRIES; i += step) {
		put_range(page_to_virt(table), i, i + step - 1, &w);
		if (key != NULL) {
			relax_if_pending(vm, key);
		}
	}
	pt_free_unlisted(table);
}

/*
 * Takes back the leaf table that *pmd (vm's level-1 entry) shares: re-installed as it is when
 * vm is its last holder, else vm gets a copy of it, each present writable page of a private
 * mapping made read-only and COW-marked in both and its count raised, as a fork without
 * shared tables does per page (a page of a MAP_SHARED mapping, PAGE_FLAG_SHARED, is shared
 * as it is). 0, or -ENOMEM (no page for the copy; nothing changed). vm->lock held, let go
 * every PTES_PER_HOLD entries if an interrupt waits (*key; NULL: the space is private), so
 * that a copy of PT_LEAF_ENTRIES entries does not hold interrupts off: meanwhile *pmd stays
 * shared (the space's one thread is here), our reference keeps the table alive and every
 * other holder's count above 1, so the others only write the same COW marks we do.
 */
static int pt_unshare(struct vm_space *vm, pmd_t *pmd, k_spinlock_key_t *key)
{
	struct page *table = pa_to_page(pmd_pa(*pmd));
	struct page_window w = {0};
	pte_t *t = page_to_virt(table);
	struct page *copy;
	pte_t *c;

	vm_assert_locked(vm);
	/* Count 1 is ours alone and stays so: only a fork of a holder adds one, and the other
	 * holders are gone (the acquire makes their COW marks visible). Above 1, the others may
	 * go while we copy: then shared_table_put() below is the last and empties the table. */
	if (page_ref_count(table) == 1) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		*pmd = pmd_mk_table(page_to_pa(table));
		stat_inc(&vm_stats.table_reuses, 1);
		return 0;
	}
	copy = pt_alloc_page(vm, true, true);
	if (copy == NULL) {
		return -ENOMEM;
	}
	c = page_to_virt(copy);
	for (unsigned int i = 0; i < PT_LEAF_ENTRIES;) {
		for (unsigned int end = i + PTES_PER_HOLD; i < end; i++) {
			pte_t pte = t[i];
			struct page *p;

			if (pte_none(pte)) {
				c[i] = 0;
				continue;
			}
			p = window_page(&w, pte);
			if (pte_writable(pte) && !(p->flags & PAGE_FLAG_SHARED)) {
				pte = pte_share(pte, true);
				t[i] = pte;
			}
			c[i] = pte;
			page_ref_get_mapped(p);
		}
		if (key != NULL) {
			relax_if_pending(vm, key);
		}
	}
	*pmd = pmd_mk_table(page_to_pa(copy));
	shared_table_put(vm, table, key);
	stat_inc(&vm_stats.table_copies, 1);
	return 0;
}

/*
 * Takes back every shared leaf table under [start, end) (pt_unshare()), so that a walk that
 * changes entries (munmap, mprotect, a shrinking brk) finds only tables of vm's own. Before
 * anything else changes: 0, or -ENOMEM with nothing else changed (what it took back stays
 * so, which means the same). vm->lock held, let go now and then (*key).
 */
static int unshare_range(struct vm_space *vm, uintptr_t start, uintptr_t end, k_spinlock_key_t *key)
{
	unsigned int steps = 0;
	uintptr_t stop;

	if (!SHARED_PT) {
		return 0;
	}
	for (uintptr_t va = start; va < end; va = stop) {
		pmd_t *pmd = arch_pt_dir(vm->root, va, end, &stop, NULL, NULL);

		if (pmd != NULL && pmd_shared(*pmd)) {
			if (pt_unshare(vm, pmd, key) != 0) {
				return -ENOMEM;
			}
			relax_if_pending(vm, key);
		} else if (++steps % STEPS_PER_HOLD == 0) {
			relax_if_pending(vm, key);
		}
	}
	return 0;
}

/* Frees the leaf tables under the level-1 table dir (SHARED_PT: they are on no list), whose
 * pages the region walk has put, or drops our share of those fork shared. */
static void free_leaf_tables(pmd_t *dir)
{
	for (unsigned int i = 0; i < PT_LEAF_ENTRIES; i++) {
		pmd_t pmd = dir[i];

		if (pmd_none(pmd)) {
			continue;
		}
		if (pmd_shared(pmd)) {
			shared_table_put(NULL, pa_to_page(pmd_pa(pmd)), NULL);
		} else {
			pt_free_unlisted(pa_to_page(pmd_pa(pmd)));
		}
	}
}

void vm_space_destroy(struct vm_space *vm)
{
	struct page_window w = {0};
	struct vm_region *r;
	unsigned long pfn;

	unsigned long charged = 0;

	vm->detached = true;
	/* Every user page lies in a region: free them by region, table by table. The space is
	 * private now: no lock, interrupts stay on. */
	for (r = region_first(vm); r != NULL; r = region_next(r)) {
		for_each_leaf(vm, r->start, populated_end(vm, r), NULL, put_range, &w);
		charged += charged_pages(vm, r, r->start, r->end);
	}
	/* What each change of the regions charged and gave back must add up. */
	__ASSERT(charged == vm->committed, "vm_space_destroy: vm %p charged %lu, regions hold %lu",
		 vm, vm->committed, charged);
	vm_uncommit(vm->committed);
	/* Then every table, root included, from the list pt_alloc() keeps; with SHARED_PT,
	 * each level-1 table's leaf tables first (ours, or our share of one). */
	stat_inc(&vm_stats.page_table_pages, -(long)vm->pt_pages);
	for (pfn = vm->pt_head; pfn != 0;) {
		struct page *table = pa_to_page(pfn << PAGE_SHIFT);

		pfn = table->spare;
		if (SHARED_PT && page_to_virt(table) != vm->root) {
			free_leaf_tables(page_to_virt(table));
		}
		page_ref_put(table);
	}
	while ((r = region_first(vm)) != NULL) {
		region_unlink(vm, r);
		region_free(r);
	}
	mm_cache_free(&vm_space_cache, vm);
}

unsigned long vm_space_token(const struct vm_space *vm)
{
	return arch_vm_token(vm != NULL ? vm->root : NULL);
}

void vm_space_activate(struct vm_space *vm)
{
	arch_vm_activate(vm_space_token(vm));
}

int vm_region_add(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot,
		  enum vm_kind kind)
{
	unsigned long charge;
	struct vm_region *r;
	k_spinlock_key_t key;
	int ret;

	if (start >= end || start < USER_BASE || end > USER_TOP || !IS_ALIGNED(start, PAGE_SIZE) ||
	    !IS_ALIGNED(end, PAGE_SIZE)) {
		return -EINVAL;
	}
	r = region_alloc();
	if (r == NULL) {
		return -ENOMEM;
	}
	/* Region records come from a cache unzeroed: every field is set here. */
	*r = (struct vm_region){.start = start,
				.end = end,
				.prot = prot,
				.kind = kind,
				.flags = (prot & VM_WRITE) ? VM_REGION_ACCOUNT : 0};
	key = k_spin_lock(&vm->lock);
	charge = charged_pages(vm, r, start, end);
	ret = vm_commit(charge);
	if (ret == 0) {
		ret = region_insert(vm, r);
		if (ret == 0) {
			vm->committed += charge;
		} else {
			vm_uncommit(charge);
		}
	}
	k_spin_unlock(&vm->lock, key);
	if (ret != 0) {
		region_free(r);
	}
	return ret;
}

static void unmap_leaf(pte_t *l0, unsigned int first, unsigned int last, void *arg)
{
	struct vm_space *vm = arg;

	for (unsigned int i = first; i <= last; i++) {
		if (!pte_none(l0[i])) {
			page_ref_put(pa_to_page(pte_pa(l0[i])));
			l0[i] = 0;
			vm->user_pages--;
		}
	}
}

/* Unmaps and drops the pages of [start, end). vm->lock held, let go between tables (*key). */
static void unmap_pages(struct vm_space *vm, uintptr_t start, uintptr_t end, k_spinlock_key_t *key)
{
	for_each_leaf(vm, start, end, key, unmap_leaf, vm);
	arch_tlb_flush_all();
}

int vm_unmap(struct vm_space *vm, uintptr_t start, uintptr_t end)
{
	k_spinlock_key_t key = k_spin_lock(&vm->lock);
	struct vm_region *r;
	unsigned long uncharge = 0;
	unsigned int edits = 0;

	if (unshare_range(vm, start, end, &key) != 0) {
		k_spin_unlock(&vm->lock, key);
		return -ENOMEM;
	}
	r = region_from(vm, start);

	/* Only a hole in the middle of one region needs a new record: get it first, so that a
	 * failure changes nothing. Unmapping whole regions needs no memory at all. */
	if (r != NULL && r->start < start && r->end > end) {
		struct vm_region *tail = region_room(vm) ? region_alloc() : NULL;

		if (tail == NULL) {
			k_spin_unlock(&vm->lock, key);
			return -ENOMEM;
		}
		uncharge = charged_pages(vm, r, start, end);
		*tail = *r;
		tail->start = end;
		r->end = start;
		region_link(vm, tail);
		r = NULL;
	}
	while (r != NULL && r->start < end) {
		struct vm_region *next = region_next(r);

		uncharge += charged_pages(vm, r, start, end);
		if (r->start < start) {
			r->end = start;
		} else if (r->end > end) {
			r->start = end;
		} else {
			region_unlink(vm, r);
			region_free(r);
		}
		r = next;
		if (++edits % REGIONS_PER_HOLD == 0) {
			relax_if_pending(vm, &key);
		}
	}
	unmap_pages(vm, start, end, &key);
	vm->committed -= uncharge;
	vm_uncommit(uncharge);
	k_spin_unlock(&vm->lock, key);
	return 0;
}

/* Maps page p at va with prot in place of whatever was mapped there (put). 0, or -ENOMEM
 * (no memory for a page table; p is then not taken). Takes vm->lock. */
static int map_page(struct vm_space *vm, uintptr_t va, struct page *p, unsigned int prot)
{
	k_spinlock_key_t key = k_spin_lock(&vm->lock);
	pte_t *pte = walk(vm, va, &key);

	if (pte == NULL) {
		k_spin_unlock(&vm->lock, key);
		return -ENOMEM;
	}
	if (!pte_none(*pte)) {
		page_ref_put(pa_to_page(pte_pa(*pte)));
	} else {
		vm->user_pages++;
	}
	*pte = pte_mk_user(page_to_pa(p), prot);
	k_spin_unlock(&vm->lock, key);
	return 0;
}

void *vm_map_new_page(struct vm_space *vm, uintptr_t va, unsigned int prot)
{
	/* Zeroed before the lock is taken: 4 KiB of stores need not keep interrupts off. */
	struct page *p = page_alloc_zeroed();

	if (p == NULL) {
		return NULL;
	}
	if (map_page(vm, va, p, prot) != 0) {
		page_ref_put(p);
		return NULL;
	}
	return page_to_virt(p);
}

/*
 * Shares (COW) or copies the parent's mapped pages in one leaf table's range [first, last]
 * into the child's table, adding to *shared / *copied, FORK_COW_BATCH (FORK_EAGER_BATCH)
 * pages at a time; after each batch it stops early if an interrupt is pending, setting *next
 * to the first entry not done (last + 1 when all are), so that the caller lets it in. Writes
 * every child entry it passes, 0 where the parent has none, so a child table covered whole
 * needs no zeroing first. writable: the pages are of a writable private region (COW-marked
 * when shared, mapped writable when copied); cow: share rather than copy (always so for a
 * shared region). Returns 0 or -ENOMEM (then every entry up to last is written, the ones not
 * reached 0). The parent's lock held. The COW loop is the fork's per-page cost: keep it
 * short.
 */
static __noinline int fork_range(pte_t *pl0, pte_t *cl0, unsigned int first, unsigned int last,
				 bool writable, bool cow, struct page_window *win,
				 unsigned long *shared, unsigned long *copied, unsigned int *next)
{
	unsigned long n = 0;
	unsigned int i = first;

	if (cow) {
		struct page_window w = *win;

		while (i <= last) {
			unsigned int end = MIN(i + FORK_COW_BATCH - 1, last);
			pte_t *c = &cl0[i];

			/* A pointer loop, unrolled: an index costs two more instructions a page. */
#pragma GCC unroll 4
			for (pte_t *p = &pl0[i], *e = &pl0[end]; p <= e; p++, c++) {
				pte_t pte = *p;

				if (pte_none(pte)) {
					*c = 0;
					continue;
				}
				/* A page of a read-only or shared region is shared as it is,
				 * never marked: a store to program text after fork must still
				 * fault and kill, and a shared page must stay one page. */
				pte = pte_share(pte, writable);
				*p = pte;
				*c = pte;
				page_ref_get_mapped(window_page(&w, pte));
				n++;
			}
			i = end + 1;
			if (i <= last && arch_irq_pending()) {
				break;
			}
		}
		*win = w;
		*shared += n;
		*next = i;
		stat_inc(&vm_stats.pages_shared_at_fork, n);
		return 0;
	}
	bool text = false;

	for (; i <= last; i++) {
		pte_t pte = pl0[i];
		struct page *copy;

		if (i > first && (i - first) % FORK_EAGER_BATCH == 0 && arch_irq_pending()) {
			break;
		}
		if (pte_none(pte)) {
			cl0[i] = 0;
			continue;
		}
		if (is_zero_page(pte)) {
			/* Nothing to copy: the child maps the zero page too, as its fault would. */
			page_ref_get(zero_page);
			cl0[i] = pte_move(pte, pte_pa(pte), false);
			(*shared)++;
			continue;
		}
		copy = page_alloc();
		if (copy == NULL) {
			memset(&cl0[i], 0, (last + 1 - i) * sizeof(pte_t));
			*copied += n;
			stat_inc(&vm_stats.pages_copied_at_fork, n);
			return -ENOMEM;
		}
		page_copy(page_to_virt(copy), page_to_virt(pa_to_page(pte_pa(pte))));
		/* A private page: writable if its region is, never COW. */
		cl0[i] = pte_move(pte, page_to_pa(copy), writable);
		n++;
		text |= pte_exec(pte);
	}
	*copied += n;
	*next = i;
	stat_inc(&vm_stats.pages_copied_at_fork, n);
	if (text) {
		vm_icache_sync_user();
	}
	return 0;
}

/*
 * Shares the parent's leaf tables of [va, end), which one level-1 table holds (ppmd is
 * va's entry there; end at most the next PT_DIR_SPAN boundary), with the child: for each
 * chunk with a table (installed or already shared), one more reference on it, and both
 * level-1 entries pmd_shared(), so that each process's first access to the chunk faults and
 * takes it back (pt_unshare()). Nothing per page, and the entries are consecutive: no walk
 * per chunk. A chunk holding several regions is shared once, by the first. The number of
 * tables shared, or -ENOMEM (no page for the child's level-1 table). The parent's lock held
 * (*key), let go to allocate and every STEPS_PER_HOLD chunks if an interrupt waits.
 */
static long fork_share_tables(struct vm_space *parent, struct vm_space *child, pmd_t *ppmd,
			      uintptr_t va, uintptr_t end, k_spinlock_key_t *key)
{
	struct pt_alloc_ctx ctx = {child, false};
	unsigned long n = (end - ROUND_DOWN(va, PT_LEAF_SPAN) + PT_LEAF_SPAN - 1) / PT_LEAF_SPAN;
	uintptr_t stop;
	pmd_t *cpmd = arch_pt_dir(child->root, va, va + 1, &stop, NULL, NULL);
	long shared = 0;

	if (cpmd == NULL) {
		k_spin_unlock(&parent->lock, *key);
		cpmd = arch_pt_dir(child->root, va, va + 1, &stop, pt_alloc_cb, &ctx);
		*key = k_spin_lock(&parent->lock);
		if (cpmd == NULL) {
			return -ENOMEM;
		}
	}
	for (unsigned long i = 0; i < n; i++) {
		uintptr_t table_pa;

		if (i != 0 && i % STEPS_PER_HOLD == 0) {
			relax_if_pending(parent, key);
		}
		if (pmd_none(ppmd[i]) || !pmd_none(cpmd[i])) {
			continue;
		}
		table_pa = pmd_pa(ppmd[i]);
		page_ref_get(pa_to_page(table_pa));
		ppmd[i] = pmd_mk_shared(table_pa);
		cpmd[i] = pmd_mk_shared(table_pa);
		shared++;
	}
	return shared;
}

struct vm_space *vm_space_fork(struct vm_space *parent, bool cow)
{
	struct vm_space *child = vm_space_create();
	struct page_window w = {0};
	unsigned long shared = 0;
	unsigned long copied = 0;
	unsigned long tables = 0;
	unsigned int regions = 0;
	bool share_tables;
	k_spinlock_key_t key;
	struct vm_region *r;
	int ret = 0;

	if (child == NULL) {
		return NULL;
	}
	child->detached = true;
	cow = cow && IS_ENABLED(CONFIG_MM_COW);
	share_tables = cow && SHARED_PT;
	key = k_spin_lock(&parent->lock);
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->mmap_next = parent->mmap_next;
	/*
	 * Region by region, one leaf table at a time: no walk from the root per page, and no
	 * scan of the empty parts of the tables. The parent's lock is let go after every
	 * REGIONS_PER_HOLD regions and every FORK_COW_BATCH (FORK_EAGER_BATCH) pages, so that
	 * interrupts and preemption get in: nothing else changes the parent's space meanwhile,
	 * since its only thread is here (see <inox/mm/vm.h>). The child is private until fork
	 * returns: its tables are made without the parent's lock. If the parent moves to
	 * another hart meanwhile, the one it left flushed its TLB when it switched away
	 * (arch_vm_switch()).
	 */
	for (r = region_first(parent); r != NULL && ret == 0; r = region_next(r)) {
		struct vm_region *copy = region_alloc();
		uintptr_t end = populated_end(parent, r);
		/* A shared region's pages are mapped as they are in the child, never copied nor
		 * COW-marked, whether this fork shares or copies the private ones. */
		bool shared_region = (r->flags & VM_REGION_SHARED) != 0;
		bool share = cow || shared_region;
		bool mark = (r->prot & VM_WRITE) && !shared_region;
		unsigned long charge = charged_pages(parent, r, r->start, r->end);

		if (copy == NULL) {
			ret = -ENOMEM;
			break;
		}
		/* The child promises what the parent did: refused now, not killed later. */
		ret = vm_commit(charge);
		if (ret != 0) {
			region_free(copy);
			break;
		}
		child->committed += charge;
		*copy = *r;
		region_link(child, copy);
		if (++regions % REGIONS_PER_HOLD == 0) {
			relax_if_pending(parent, &key);
		}
		for (uintptr_t va = r->start, stop; va < end && ret == 0; va = stop) {
			pmd_t *ppmd = arch_pt_dir(parent->root, va, end, &stop, NULL, NULL);
			/* A range of a whole leaf table: the fork_range() calls write all of it. */
			bool whole = pt_leaf_index(va) == 0 &&
				     pt_leaf_index(stop - 1) == PT_LEAF_ENTRIES - 1;
			pte_t *pl0;
			pte_t *cl0;
			long n;

			if (share_tables && ppmd != NULL) {
				/* The rest of this level-1 table's span at once. */
				stop = MIN(ROUND_DOWN(va, PT_DIR_SPAN) + PT_DIR_SPAN, end);
				n = fork_share_tables(parent, child, ppmd, va, stop, &key);
				ret = n < 0 ? (int)n : 0;
				tables += n > 0 ? n : 0;
				relax_if_pending(parent, &key);
				continue;
			}
			if (ppmd == NULL || pmd_none(*ppmd)) {
				continue;
			}
			/* Installed, or shared by an earlier fork: either way the parent's pages
			 * (an eager copy reads it and leaves it as it is). */
			pl0 = page_to_virt(pa_to_page(pmd_pa(*ppmd)));
			k_spin_unlock(&parent->lock, key);
			cl0 = walk_tables(child, va, whole, NULL);
			key = k_spin_lock(&parent->lock);
			if (cl0 == NULL) {
				ret = -ENOMEM;
				break;
			}
			cl0 -= pt_leaf_index(va);
			/* fork_range() returns at the end, or early for a pending interrupt. */
			for (unsigned int i = pt_leaf_index(va), last = pt_leaf_index(stop - 1);
			     i <= last && ret == 0;) {
				ret = fork_range(pl0, cl0, i, last, mark, share, &w, &shared,
						 &copied, &i);
				relax_if_pending(parent, &key);
			}
		}
	}
	if (share_tables) {
		/* Every page the parent maps is now shared through its table. */
		shared = parent->user_pages;
		stat_inc(&vm_stats.pages_shared_at_fork, shared);
		stat_inc(&vm_stats.tables_shared_at_fork, tables);
	}
	k_spin_unlock(&parent->lock, key);
	child->user_pages = shared + copied;
	/* The parent's writable pages just became read-only, or its tables unreachable: drop
	 * what this hart cached. */
	if (shared != 0 || tables != 0) {
		arch_tlb_flush_all();
	}
	if (ret != 0) {
		vm_space_destroy(child);
		return NULL;
	}
	child->detached = false;
	return child;
}

/*
 * The heap region spans [brk_start, USER_MMAP_BASE) from exec on; the break only says how
 * much of it may be touched (vm_fault checks), so growing never collides with anything.
 */
/* Pages of [start, end) that the regions there have charged, with the break as it is now.
 * vm->lock held, let go now and then (*key). */
static unsigned long range_charged(struct vm_space *vm, uintptr_t start, uintptr_t end,
				   k_spinlock_key_t *key)
{
	unsigned long n = 0;
	unsigned int seen = 0;

	for (struct vm_region *r = region_from(vm, start); r != NULL && r->start < end;
	     r = region_next(r)) {
		n += charged_pages(vm, r, start, end);
		if (++seen % (8 * REGIONS_PER_HOLD) == 0) {
			relax_if_pending(vm, key);
		}
	}
	return n;
}

uintptr_t vm_brk(struct vm_space *vm, uintptr_t brk)
{
	k_spinlock_key_t key = k_spin_lock(&vm->lock);
	uintptr_t old_brk = vm->brk;
	uintptr_t old_end = ROUND_UP(old_brk, PAGE_SIZE);
	uintptr_t new_end = ROUND_UP(brk, PAGE_SIZE);
	uintptr_t lo = MIN(old_end, new_end);
	uintptr_t hi = MAX(old_end, new_end);
	unsigned long before;
	unsigned long after;

	if (brk < vm->brk_start || brk >= USER_MMAP_BASE) {
		k_spin_unlock(&vm->lock, key);
		return old_brk;
	}
	/* The heap's charge follows the break: what it grows by is charged (and may be
	 * refused), what it shrinks by given back. */
	before = range_charged(vm, lo, hi, &key);
	vm->brk = brk;
	after = range_charged(vm, lo, hi, &key);
	/* A shrink over a shared table needs it back first, which may need a page. */
	if ((after > before && vm_commit(after - before) != 0) ||
	    (new_end < old_end && unshare_range(vm, new_end, old_end, &key) != 0)) {
		vm->brk = old_brk;
		k_spin_unlock(&vm->lock, key);
		return old_brk;
	}
	if (new_end < old_end) {
		unmap_pages(vm, new_end, old_end, &key);
		vm_uncommit(before - after);
	}
	vm->committed += after;
	vm->committed -= before;
	k_spin_unlock(&vm->lock, key);
	return brk;
}

/*
 * Allocates and maps every page of the shared region [start, end) (just added, empty),
 * zeroed. 0, or -ENOMEM with the pages mapped so far left for the caller to unmap. Takes
 * vm->lock for each page only: zeroing a large region must not keep interrupts off.
 */
static int map_shared_pages(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot)
{
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		struct page *p = page_alloc_zeroed();

		if (p == NULL) {
			return -ENOMEM;
		}
		page_mark_shared(p);
		if (map_page(vm, va, p, prot) != 0) {
			page_ref_put(p);
			return -ENOMEM;
		}
	}
	return 0;
}

long vm_mmap(struct vm_space *vm, uintptr_t hint, size_t len, unsigned int prot, unsigned int flags)
{
	size_t size = ROUND_UP(len, PAGE_SIZE);
	bool shared = (flags & VM_REGION_SHARED) != 0;
	unsigned long charge;
	struct vm_region *r;
	k_spinlock_key_t key;
	uintptr_t start;
	long ret;

	if (len == 0) {
		return -EINVAL;
	}
	/* Linux's answers: a length that wraps when rounded up, or that no address space could
	 * hold, is -ENOMEM; so is a shared region larger than the memory free now (its pages are
	 * all allocated at once, see VM_REGION_SHARED). */
	if (size == 0 || size > USER_STACK_TOP - USER_MMAP_BASE ||
	    (shared && size / PAGE_SIZE > mm_free_pages())) {
		return -ENOMEM;
	}
	/* Private writable memory is charged for as long as the region lasts; a shared
	 * region only until its pages exist, which then count themselves (mm_shared_pages()). */
	if ((prot & VM_WRITE) && !shared && !(flags & VM_REGION_NORESERVE)) {
		flags |= VM_REGION_ACCOUNT;
	}
	charge = (shared || (flags & VM_REGION_ACCOUNT)) ? size / PAGE_SIZE : 0;
	if (vm_commit(charge) != 0) {
		return -ENOMEM;
	}
	r = region_alloc();
	if (r == NULL) {
		vm_uncommit(charge);
		return -ENOMEM;
	}
	/* Anonymous memory goes at the next free address of the mmap area; hints are hints. */
	key = k_spin_lock(&vm->lock);
	*r = (struct vm_region){.start = vm->mmap_next,
				.end = vm->mmap_next + size,
				.prot = prot,
				.kind = VM_MMAP,
				.flags = flags};
	start = r->start;
	ret = r->end > USER_STACK_TOP - CONFIG_USER_STACK_SIZE ? -ENOMEM : region_insert(vm, r);
	if (ret == 0) {
		vm->mmap_next = r->end;
		if (!shared) {
			vm->committed += charge;
		}
		ret = (long)start;
	}
	k_spin_unlock(&vm->lock, key);
	if (ret < 0) {
		region_free(r);
		vm_uncommit(charge);
		return ret;
	}
	if (shared) {
		int err = map_shared_pages(vm, start, start + size, prot);

		vm_uncommit(charge);
		if (err != 0) {
			vm_unmap(vm, start, start + size);
			return -ENOMEM;
		}
	}
	return ret;
}

/*
 * A store to a COW (or shared read-only) page of a writable region: copy it, or reuse it
 * in place when it is ours alone. Why a count of 1 means ours alone, and stays so: every
 * PTE that maps the page holds a reference, ours among them; a new reference comes only from
 * fork sharing a mapping of it, and the only mapping left is ours, whose one thread is here.
 * The count is read once, atomically (page_ref_count()); no lock guards it or needs to. vm->lock held; let go while the copy is made, so that
 * 4 KiB of copying does not keep interrupts off: only this process's one thread changes
 * its PTEs (<inox/mm/vm.h>), and its mapping keeps a reference on the old page, so *pte and
 * old are the same when the lock is back. Another sharer may drop its reference meanwhile;
 * then the copy was not needed, and the old page is freed by the put below.
 */
static int cow_break(struct vm_space *vm, pte_t *pte, uintptr_t va, k_spinlock_key_t *key)
{
	struct page *old = pa_to_page(pte_pa(*pte));
	struct page *copy = NULL;

	__ASSERT(k_spin_is_held(&vm->lock), "cow_break: vm %p lock not held", vm);
	stat_inc(&vm_stats.cow_faults, 1);
	if (page_ref_count(old) == 1) {
		*pte = pte_mkwrite(*pte);
		stat_inc(&vm_stats.cow_reuses, 1);
	} else {
		k_spin_unlock(&vm->lock, *key);
		copy = page_alloc();
		if (copy != NULL) {
			page_copy(page_to_virt(copy), page_to_virt(old));
		}
		*key = k_spin_lock(&vm->lock);
		if (copy == NULL) {
			return -ENOMEM;
		}
		*pte = pte_move(*pte, page_to_pa(copy), true);
		page_ref_put(old);
		stat_inc(&vm_stats.cow_copies, 1);
	}
	/* A copy changed the page: without the fence, a stale entry of this hart could serve
	 * our loads from the old page, which misses the store about to be retried and which
	 * the other sharer may now reuse in place and write. A reuse only added W, and the
	 * privileged spec lets the fence of a permission upgrade wait: a stale read-only entry
	 * makes the store fault again, and vm_fault() flushes it then. No other hart holds an
	 * entry of ours: the process has one thread, and a hart flushes its TLB whenever it
	 * switches away from a space (arch_vm_switch()). */
	if (copy != NULL || IS_ENABLED(CONFIG_MM_COW_REUSE_FENCE)) {
		arch_tlb_flush_page(va);
	}
	return 0;
}

/*
 * A store to the zero page (mapped read-only by a load): a new zeroed page in its place,
 * writable, and no copy, since the old one holds zeros. 0, or -ENOMEM. vm->lock held; let go
 * while the page is zeroed (the PTE stays as it is meanwhile: one thread, <inox/mm/vm.h>).
 */
static int zero_page_break(struct vm_space *vm, pte_t *pte, uintptr_t va, k_spinlock_key_t *key)
{
	struct page *p;

	__ASSERT(k_spin_is_held(&vm->lock), "zero_page_break: vm %p lock not held", vm);
	k_spin_unlock(&vm->lock, *key);
	p = page_alloc_zeroed();
	*key = k_spin_lock(&vm->lock);
	if (p == NULL) {
		return -ENOMEM;
	}
	*pte = pte_move(*pte, page_to_pa(p), true);
	page_ref_put(zero_page);
	stat_inc(&vm_stats.zero_page_breaks, 1);
	arch_tlb_flush_page(va);
	return 0;
}

/* Whether every page of [start, end) lies in a region. vm->lock held, let go now and then
 * (*key). */
static bool covered(struct vm_space *vm, uintptr_t start, uintptr_t end, k_spinlock_key_t *key)
{
	uintptr_t va = start;
	unsigned int seen = 0;

	/* The regions are sorted and do not overlap (region_insert()). */
	for (struct vm_region *r = region_from(vm, start); r != NULL; r = region_next(r)) {
		if (r->start > va) {
			return false;
		}
		va = r->end;
		if (va >= end) {
			return true;
		}
		if (++seen % (8 * REGIONS_PER_HOLD) == 0) {
			relax_if_pending(vm, key);
		}
	}
	return va >= end;
}

/* Gives the mapped pages of l0[first..last] the permissions *arg (VM_*), never write: that
 * only the fault path grants (the page may be shared). */
static void protect_leaf(pte_t *l0, unsigned int first, unsigned int last, void *arg)
{
	unsigned int prot = *(unsigned int *)arg;

	for (unsigned int i = first; i <= last; i++) {
		if (!pte_none(l0[i])) {
			l0[i] = pte_modify(l0[i], prot);
		}
	}
}

/* Splits r at va (inside it): r keeps [start, va), a new record takes [va, end). 0, or
 * -ENOMEM (no memory, or the region cap). vm->lock held. */
static int region_split(struct vm_space *vm, struct vm_region *r, uintptr_t va)
{
	struct vm_region *tail = region_room(vm) ? region_alloc() : NULL;

	if (tail == NULL) {
		return -ENOMEM;
	}
	*tail = *r;
	tail->start = va;
	r->end = va;
	region_link(vm, tail);
	return 0;
}

/* Whether r is cut by va and would keep another permission on one side. */
static bool must_split(const struct vm_region *r, uintptr_t va, unsigned int prot)
{
	return r != NULL && r->start < va && r->end > va && r->prot != prot;
}

int vm_protect(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot)
{
	k_spinlock_key_t key = k_spin_lock(&vm->lock);
	struct vm_region *head = region_from(vm, start);
	struct vm_region *tail;
	unsigned long charge = 0;
	unsigned int edits = 0;
	int ret = 0;

	/* Every page of the range must be in some region, as Linux requires (-ENOMEM). */
	if (!covered(vm, start, end, &key) || unshare_range(vm, start, end, &key) != 0) {
		k_spin_unlock(&vm->lock, key);
		return -ENOMEM;
	}
	/* Private memory made writable for the first time is charged (Linux's mprotect_fixup()),
	 * before anything changes, so that a refusal changes nothing. */
	for (struct vm_region *r = head; (prot & VM_WRITE) && r != NULL && r->start < end;
	     r = region_next(r)) {
		if (r->prot != prot && charges_when_writable(r)) {
			charge += extent_pages(vm, r, start, end);
		}
		if (++edits % (8 * REGIONS_PER_HOLD) == 0) {
			relax_if_pending(vm, &key);
		}
	}
	if (vm_commit(charge) != 0) {
		k_spin_unlock(&vm->lock, key);
		return -ENOMEM;
	}
	/* The parts outside [start, end) keep their permissions: split the regions cut by
	 * either end first, the only steps that need memory, so that a failure changes
	 * nothing that matters (a split region alone means the same as before). */
	if (must_split(head, start, prot)) {
		ret = region_split(vm, head, start);
	}
	tail = region_from(vm, end - 1);
	if (ret == 0 && must_split(tail, end, prot)) {
		ret = region_split(vm, tail, end);
	}
	if (ret != 0) {
		vm_uncommit(charge);
	} else {
		vm->committed += charge;
	}
	for (struct vm_region *r = region_from(vm, start); ret == 0 && r != NULL && r->start < end;
	     r = region_next(r)) {
		if (++edits % REGIONS_PER_HOLD == 0) {
			relax_if_pending(vm, &key);
		}
		if (r->prot == prot) {
			continue;
		}
		if ((prot & VM_WRITE) && charges_when_writable(r)) {
			r->flags |= VM_REGION_ACCOUNT;
		}
		r->prot = prot;
		/* PROT_NONE keeps the pages, as Linux does, in entries that no access reaches,
		 * not even the kernel's uaccess (pte_modify()): the contents survive, and a
		 * shared region keeps the pages its other sharers use. */
		for_each_leaf(vm, r->start, r->end, &key, protect_leaf, &prot);
	}
	k_spin_unlock(&vm->lock, key);
	arch_tlb_flush_all();
	return ret;
}

int vm_fault(struct vm_space *vm, uintptr_t va, unsigned int access)
{
	bool write = access == VM_WRITE;
	k_spinlock_key_t key = k_spin_lock(&vm->lock);
	struct vm_region *r = vm_region_find(vm, va);
	unsigned int need = access;
	pte_t *pte;
	int ret = 0;

	va = ROUND_DOWN(va, PAGE_SIZE);
	if (r == NULL || !(r->prot & need) ||
	    (r->kind == VM_HEAP && va >= ROUND_UP(vm->brk, PAGE_SIZE))) {
		/* -EACCES: a region is there but forbids the access (SEGV_ACCERR, not MAPERR). */
		ret = (r != NULL && !(r->prot & need)) ? -EACCES : -EFAULT;
		k_spin_unlock(&vm->lock, key);
		return ret;
	}
	pte = walk(vm, va, &key);
	if (pte == NULL) {
		ret = -ENOMEM;
	} else if (r->flags & VM_REGION_SHARED) {
		/* Every page of a shared region is mapped from mmap() on, in every sharer: there
		 * is no other place to find the page the others use. A store to one that
		 * mprotect() left read-only makes it writable in place, never a copy. */
		__ASSERT(!pte_none(*pte), "vm_fault: shared region of vm %p has no page at %lx", vm,
			 va);
		if (pte_none(*pte)) {
			ret = -EFAULT;
		} else if (write && !pte_writable(*pte)) {
			*pte = pte_mkwrite(*pte);
		}
		arch_tlb_flush_page(va);
	} else if (pte_none(*pte) && access == VM_READ && zero_page != NULL &&
		   (r->kind == VM_HEAP || r->kind == VM_STACK || r->kind == VM_MMAP)) {
		/* A load from untouched anonymous memory: the zero page, read-only; the first
		 * store replaces it (zero_page_break()). */
		page_ref_get(zero_page);
		*pte = pte_mk_user(page_to_pa(zero_page), r->prot & ~VM_WRITE);
		vm->user_pages++;
		stat_inc(&vm_stats.zero_page_faults, 1);
	} else if (pte_none(*pte)) {
		struct page *p;

		/* Zeroed with interrupts on (the PTE stays unmapped: one thread, see above). */
		k_spin_unlock(&vm->lock, key);
		p = page_alloc_zeroed();
		key = k_spin_lock(&vm->lock);
		if (p == NULL) {
			ret = -ENOMEM;
		} else {
			*pte = pte_mk_user(page_to_pa(p), r->prot);
			vm->user_pages++;
			stat_inc(&vm_stats.lazy_faults, 1);
		}
	} else if (write && is_zero_page(*pte)) {
		ret = zero_page_break(vm, pte, va, &key);
	} else if (write && !pte_writable(*pte)) {
		/* A COW page, or one shared read-only while its region was read-only and made
		 * writable since (mprotect): either way, copy it unless it is ours alone. */
		ret = cow_break(vm, pte, va, &key);
	} else {
		/* Already mapped as allowed: a stale TLB entry of this hart. */
		arch_tlb_flush_page(va);
	}
	k_spin_unlock(&vm->lock, key);
	return ret;
}
