/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User address spaces: Sv39 page tables under a root whose upper half is the kernel's, the
 * region list, fork (copy-on-write or eager), brk, anonymous mmap and the page-fault
 * handler. See <inox/mm/vm.h> for the locking rules.
 *
 * Copy-on-write (CONFIG_MM_COW): fork shares every present user page. Pages of writable
 * regions become read-only with PTE_COW in parent and child; pages of read-only regions are
 * shared read-only and never marked, so a store to program text still faults and kills.
 * A store to a COW page copies it, or, when the process holds the only reference, makes it
 * writable in place.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/mm/cache.h>
#include <inox/mm/page.h>
#include <inox/mm/vm.h>
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/cpu.h>
#include <inox/arch/riscv/layout.h>

#define USER_ROOT_ENTRIES 256 /* root entries 0..255: the lower half, user space */
/* Pages fork shares (COW) or copies (eager) per hold of the parent's lock: about 600 and
 * 3,000 instructions with interrupts off (a whole leaf table would be 8,500 and 800,000). */
#define FORK_COW_BATCH   32
#define FORK_EAGER_BATCH 2
#define PTE_USER         (PTE_V | PTE_U | PTE_A | PTE_D)

struct vm_stats vm_stats;

extern pte_t *z_riscv_kernel_root(void);
extern void z_riscv_satp_set(unsigned long satp);

static inline void stat_inc(unsigned long *counter, long n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* PTE bits for region permissions (write implies read: W without R is reserved). */
static pte_t prot_to_pte(unsigned int prot)
{
	if (prot & VM_WRITE) {
		prot |= VM_READ;
	}
	return PTE_USER | ((prot & VM_READ) ? PTE_R : 0) | ((prot & VM_WRITE) ? PTE_W : 0) |
	       ((prot & VM_EXEC) ? PTE_X : 0);
}

static pte_t *table_of(pte_t pte)
{
	return z_phys_to_virt(PTE_PA(pte));
}

/*
 * A page-table page, zeroed unless the caller will write all of it (raw), counted and put on
 * the space's list of tables (chained by pfn through struct page's spare field), so that
 * destroying the space frees its tables without scanning them. NULL when out of memory.
 */
static pte_t *pt_alloc(struct vm_space *vm, bool raw)
{
	struct page *p = raw ? page_alloc() : page_alloc_zeroed();

	if (p == NULL) {
		return NULL;
	}
	p->spare = vm->pt_head;
	vm->pt_head = page_to_pfn(p);
	vm->pt_pages++;
	stat_inc(&vm_stats.page_table_pages, 1);
	return page_to_virt(p);
}

/*
 * The leaf entry for va; with alloc, creates the tables on the way (NULL if out of memory).
 * A leaf table created with raw_leaf is not zeroed: the caller writes all 512 entries.
 * vm->lock held.
 */
static pte_t *walk_tables(struct vm_space *vm, uintptr_t va, bool alloc, bool raw_leaf)
{
	pte_t *table = vm->root;

	for (int level = 2; level > 0; level--) {
		pte_t *pte = &table[VPN(va, level)];

		if (!(*pte & PTE_V)) {
			pte_t *next;

			if (!alloc || (next = pt_alloc(vm, raw_leaf && level == 1)) == NULL) {
				return NULL;
			}
			*pte = PA_TO_PTE(z_virt_to_phys(next)) | PTE_V;
		}
		table = table_of(*pte);
	}
	return &table[VPN(va, 0)];
}

static pte_t *walk(struct vm_space *vm, uintptr_t va, bool alloc)
{
	return walk_tables(vm, va, alloc, false);
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
	struct vm_region *r = region_from(vm, va);

	return r != NULL && r->start <= va ? r : NULL;
}

static struct vm_region *region_alloc(const struct vm_space *vm)
{
	return vm->nr_regions < CONFIG_MM_MAX_REGIONS ? mm_cache_alloc(&vm_region_cache) : NULL;
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

	while (*link != NULL) {
		parent = *link;
		link = r->start < region_of(parent)->start ? &parent->left : &parent->right;
	}
	rb_insert(&vm->regions, &r->node, parent, link);
	vm->nr_regions++;
}

static void region_unlink(struct vm_space *vm, struct vm_region *r)
{
	rb_erase(&vm->regions, &r->node);
	vm->nr_regions--;
}

/* Inserts r; fails on overlap. vm->lock held. */
static int region_insert(struct vm_space *vm, struct vm_region *r)
{
	struct vm_region *o = region_from(vm, r->start);

	if (o != NULL && o->start < r->end) {
		return -EINVAL;
	}
	region_link(vm, r);
	return 0;
}

struct vm_space *vm_space_create(void)
{
	struct vm_space *vm = mm_cache_zalloc(&vm_space_cache);
	pte_t *kroot = z_riscv_kernel_root();

	if (vm == NULL) {
		return NULL;
	}
	vm->mmap_next = USER_MMAP_BASE;
	vm->root = pt_alloc(vm, false);
	if (vm->root == NULL) {
		mm_cache_free(&vm_space_cache, vm);
		return NULL;
	}
	memcpy(&vm->root[USER_ROOT_ENTRIES], &kroot[USER_ROOT_ENTRIES],
	       (512 - USER_ROOT_ENTRIES) * sizeof(pte_t));
	return vm;
}

/* The end of what may be mapped in r: the heap only up to the break. */
static uintptr_t populated_end(const struct vm_space *vm, const struct vm_region *r)
{
	return r->kind == VM_HEAP ? MIN(r->end, ROUND_UP(vm->brk, PAGE_SIZE)) : r->end;
}

/*
 * The leaf table covering va, or NULL if there is none; *stop is set to the end, capped at
 * end, of the range that answer holds for: the leaf table's 2 MiB, or the whole 1 GiB of a
 * missing L1 table, so that walks over empty space skip it a gigabyte at a time. vm->lock
 * held (or the space private).
 */
static pte_t *leaf_chunk(const struct vm_space *vm, uintptr_t va, uintptr_t end, uintptr_t *stop)
{
	pte_t pte = vm->root[VPN(va, 2)];
	uintptr_t span = PAGE_SIZE << 18;
	pte_t *l0 = NULL;

	if (pte & PTE_V) {
		span = PAGE_SIZE << 9;
		pte = table_of(pte)[VPN(va, 1)];
		l0 = (pte & PTE_V) ? table_of(pte) : NULL;
	}
	*stop = MIN(ROUND_DOWN(va, span) + span, end);
	return l0;
}

/* Per hold of vm->lock (each a few hundred instructions with interrupts off): regions a
 * walk over the tree edits, leaf entries a walk over the tables changes, and 2 MiB steps
 * over missing leaf tables. */
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

	for (uintptr_t va = start; va < end; va = stop) {
		pte_t *l0 = leaf_chunk(vm, va, end, &stop);
		unsigned int last = VPN(stop - 1, 0);

		if (key == NULL) {
			if (l0 != NULL) {
				fn(l0, VPN(va, 0), last, arg);
			}
			continue;
		}
		for (unsigned int i = VPN(va, 0); l0 != NULL && i <= last; i += PTES_PER_HOLD) {
			fn(l0, i, MIN(i + PTES_PER_HOLD - 1, last), arg);
			relax(vm, key);
		}
		if (l0 == NULL && ++steps % STEPS_PER_HOLD == 0) {
			relax(vm, key);
		}
	}
}

/*
 * The struct pages of one RAM bank as the PTE loops of fork and exit see them: a PTE p with
 * p - lo < span maps &pages[(p - lo) >> PTE_PPN_SHIFT]. The bounds are in PTE units (pfn <<
 * PTE_PPN_SHIFT), so one subtraction and one compare both find the page and check it is in
 * the bank. A loop keeps its window in a local (registers) and refills it from
 * window_of() when a PTE falls outside; the empty window {0} misses at once.
 *
 * These loops also rely on how this file writes leaf PTEs: an unmapped one is always 0, so
 * "pte == 0" is the test for not present.
 */
struct page_window {
	uintptr_t lo;
	uintptr_t span;
	struct page *pages;
};

static struct page_window window_of(pte_t pte)
{
	unsigned long base;
	unsigned long npages;
	struct page *pages = mm_bank_of(PTE_PA(pte), &base, &npages);

	if (pages == NULL) {
		panic("vm: pte %lx maps no managed RAM", (unsigned long)pte);
	}
	return (struct page_window){base << PTE_PPN_SHIFT, npages << PTE_PPN_SHIFT, pages};
}

static inline struct page *window_page(struct page_window *w, pte_t pte)
{
	uintptr_t off = pte - w->lo;

	if (unlikely(off >= w->span)) {
		*w = window_of(pte);
		off = pte - w->lo;
	}
	return &w->pages[off >> PTE_PPN_SHIFT];
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
		if (*p != 0) {
			page_ref_put(window_page(&w, *p));
		}
	}
	*win = w;
}

void vm_space_destroy(struct vm_space *vm)
{
	struct page_window w = {0};
	struct vm_region *r;
	unsigned long pfn;

	/* Every user page lies in a region: free them by region, table by table. The space is
	 * private now: no lock, interrupts stay on. */
	for (r = region_first(vm); r != NULL; r = region_next(r)) {
		for_each_leaf(vm, r->start, populated_end(vm, r), NULL, put_range, &w);
	}
	/* Then every table, root included, from the list pt_alloc() keeps. */
	stat_inc(&vm_stats.page_table_pages, -(long)vm->pt_pages);
	for (pfn = vm->pt_head; pfn != 0;) {
		struct page *table = pa_to_page(pfn << PAGE_SHIFT);

		pfn = table->spare;
		page_ref_put(table);
	}
	while ((r = region_first(vm)) != NULL) {
		region_unlink(vm, r);
		region_free(r);
	}
	mm_cache_free(&vm_space_cache, vm);
}

unsigned long vm_space_satp(const struct vm_space *vm)
{
	pte_t *root = vm != NULL ? vm->root : z_riscv_kernel_root();

	return SATP_MODE_SV39 | (z_virt_to_phys(root) >> PAGE_SHIFT);
}

void vm_space_activate(struct vm_space *vm)
{
	z_riscv_satp_set(vm_space_satp(vm));
}

int vm_region_add(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot,
		  enum vm_kind kind)
{
	struct vm_region *r;
	k_spinlock_key_t key;
	int ret;

	if (start >= end || start < USER_BASE || end > USER_TOP || !IS_ALIGNED(start, PAGE_SIZE) ||
	    !IS_ALIGNED(end, PAGE_SIZE)) {
		return -EINVAL;
	}
	r = region_alloc(vm);
	if (r == NULL) {
		return -ENOMEM;
	}
	r->start = start;
	r->end = end;
	r->prot = prot;
	r->kind = kind;
	key = k_spin_lock(&vm->lock);
	ret = region_insert(vm, r);
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
		if (l0[i] != 0) {
			page_ref_put(pa_to_page(PTE_PA(l0[i])));
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
	struct vm_region *r = region_from(vm, start);
	unsigned int edits = 0;

	/* Only a hole in the middle of one region needs a new record: get it first, so that a
	 * failure changes nothing. Unmapping whole regions needs no memory at all. */
	if (r != NULL && r->start < start && r->end > end) {
		struct vm_region *tail = region_alloc(vm);

		if (tail == NULL) {
			k_spin_unlock(&vm->lock, key);
			return -ENOMEM;
		}
		*tail = *r;
		tail->start = end;
		r->end = start;
		region_link(vm, tail);
		r = NULL;
	}
	while (r != NULL && r->start < end) {
		struct vm_region *next = region_next(r);

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
			relax(vm, &key);
		}
	}
	unmap_pages(vm, start, end, &key);
	k_spin_unlock(&vm->lock, key);
	return 0;
}

void *vm_map_new_page(struct vm_space *vm, uintptr_t va, unsigned int prot)
{
	k_spinlock_key_t key = k_spin_lock(&vm->lock);
	struct page *p = page_alloc_zeroed();
	pte_t *pte = p != NULL ? walk(vm, va, true) : NULL;

	if (pte == NULL) {
		if (p != NULL) {
			page_ref_put(p);
		}
		k_spin_unlock(&vm->lock, key);
		return NULL;
	}
	if (*pte & PTE_V) {
		page_ref_put(pa_to_page(PTE_PA(*pte)));
	} else {
		vm->user_pages++;
	}
	*pte = PA_TO_PTE(page_to_pa(p)) | prot_to_pte(prot);
	k_spin_unlock(&vm->lock, key);
	return page_to_virt(p);
}

/*
 * Shares (COW) or copies the parent's mapped pages in one leaf table's range [first, last]
 * into the child's table, adding to *shared / *copied. Writes every child entry of the range,
 * 0 where the parent has none, so a child table covered whole needs no zeroing first.
 * Returns 0 or -ENOMEM (the entries not reached are then 0). The parent's lock held. The COW
 * loop is the fork's per-page cost: keep it short.
 */
static __noinline int fork_range(pte_t *pl0, pte_t *cl0, unsigned int first, unsigned int last,
				 bool writable, bool cow, struct page_window *win,
				 unsigned long *shared, unsigned long *copied)
{
	unsigned long n = 0;

	if (cow) {
		pte_t clear = writable ? PTE_W : 0;
		pte_t set = writable ? PTE_COW : 0;
		struct page_window w = *win;

#pragma GCC unroll 4
		for (unsigned int i = first; i <= last; i++) {
			pte_t pte = pl0[i];

			if (pte == 0) {
				cl0[i] = 0;
				continue;
			}
			pte = (pte & ~clear) | set;
			pl0[i] = pte;
			cl0[i] = pte;
			page_ref_get_mapped(window_page(&w, pte));
			n++;
		}
		*win = w;
		*shared += n;
		stat_inc(&vm_stats.pages_shared_at_fork, n);
		return 0;
	}
	bool text = false;

	for (unsigned int i = first; i <= last; i++) {
		pte_t pte = pl0[i];
		struct page *copy;

		if (pte == 0) {
			cl0[i] = 0;
			continue;
		}
		copy = page_alloc();
		if (copy == NULL) {
			memset(&cl0[i], 0, (last + 1 - i) * sizeof(pte_t));
			*copied += n;
			stat_inc(&vm_stats.pages_copied_at_fork, n);
			return -ENOMEM;
		}
		page_copy(page_to_virt(copy), z_phys_to_virt(PTE_PA(pte)));
		/* A private page: writable if its region is, never COW. */
		cl0[i] = PA_TO_PTE(page_to_pa(copy)) |
			 (pte & ((1UL << PTE_PPN_SHIFT) - 1) & ~(PTE_COW | PTE_W)) |
			 (writable ? PTE_W : 0);
		n++;
		text |= (pte & PTE_X) != 0;
	}
	*copied += n;
	stat_inc(&vm_stats.pages_copied_at_fork, n);
	if (text) {
		vm_icache_sync_user();
	}
	return 0;
}

struct vm_space *vm_space_fork(struct vm_space *parent, bool cow)
{
	struct vm_space *child = vm_space_create();
	struct page_window w = {0};
	unsigned long shared = 0;
	unsigned long copied = 0;
	unsigned int regions = 0;
	k_spinlock_key_t key;
	struct vm_region *r;
	int ret = 0;

	if (child == NULL) {
		return NULL;
	}
	cow = cow && IS_ENABLED(CONFIG_MM_COW);
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
		struct vm_region *copy = region_alloc(child);
		uintptr_t end = populated_end(parent, r);
		unsigned int batch = cow ? FORK_COW_BATCH : FORK_EAGER_BATCH;

		if (copy == NULL) {
			ret = -ENOMEM;
			break;
		}
		*copy = *r;
		region_link(child, copy);
		if (++regions % REGIONS_PER_HOLD == 0) {
			relax(parent, &key);
		}
		for (uintptr_t va = r->start, stop; va < end && ret == 0; va = stop) {
			pte_t *pl0 = leaf_chunk(parent, va, end, &stop);
			/* A range of a whole leaf table: the fork_range() calls write all of it. */
			bool whole = VPN(va, 0) == 0 && VPN(stop - 1, 0) == 511;
			pte_t *cl0;

			if (pl0 == NULL) {
				continue;
			}
			k_spin_unlock(&parent->lock, key);
			cl0 = walk_tables(child, va, true, whole);
			key = k_spin_lock(&parent->lock);
			if (cl0 == NULL) {
				ret = -ENOMEM;
				break;
			}
			cl0 -= VPN(va, 0);
			for (uintptr_t cva = va, cstop; cva < stop; cva = cstop) {
				cstop = MIN(stop, cva + batch * PAGE_SIZE);
				ret = fork_range(pl0, cl0, VPN(cva, 0), VPN(cstop - 1, 0),
						 (r->prot & VM_WRITE) != 0, cow, &w, &shared,
						 &copied);
				relax(parent, &key);
				if (ret != 0) {
					/* What no call wrote yet must read as unmapped. */
					if (whole) {
						memset(&cl0[VPN(cstop - 1, 0) + 1], 0,
						       (511 - VPN(cstop - 1, 0)) * sizeof(pte_t));
					}
					break;
				}
			}
		}
	}
	k_spin_unlock(&parent->lock, key);
	child->user_pages = shared + copied;
	/* The parent's writable pages just became read-only: drop what this hart cached. */
	if (shared != 0) {
		arch_tlb_flush_all();
	}
	if (ret != 0) {
		vm_space_destroy(child);
		return NULL;
	}
	return child;
}

/*
 * The heap region spans [brk_start, USER_MMAP_BASE) from exec on; the break only says how
 * much of it may be touched (vm_fault checks), so growing never collides with anything.
 */
uintptr_t vm_brk(struct vm_space *vm, uintptr_t brk)
{
	uintptr_t old_end = ROUND_UP(vm->brk, PAGE_SIZE);
	uintptr_t new_end = ROUND_UP(brk, PAGE_SIZE);
	k_spinlock_key_t key;

	if (brk < vm->brk_start || brk >= USER_MMAP_BASE) {
		return vm->brk;
	}
	key = k_spin_lock(&vm->lock);
	if (new_end < old_end) {
		unmap_pages(vm, new_end, old_end, &key);
	}
	vm->brk = brk;
	k_spin_unlock(&vm->lock, key);
	return brk;
}

long vm_mmap(struct vm_space *vm, uintptr_t hint, size_t len, unsigned int prot)
{
	size_t size = ROUND_UP(len, PAGE_SIZE);
	uintptr_t start;
	int ret;

	if (len == 0 || size > USER_STACK_TOP - USER_MMAP_BASE) {
		return -EINVAL;
	}
	/* Anonymous memory goes at the next free address of the mmap area; hints are hints. */
	start = vm->mmap_next;
	if (start + size > USER_STACK_TOP - CONFIG_USER_STACK_SIZE) {
		return -ENOMEM;
	}
	ret = vm_region_add(vm, start, start + size, prot, VM_MMAP);
	if (ret != 0) {
		return ret;
	}
	vm->mmap_next = start + size;
	return (long)start;
}

/*
 * A store to a COW (or shared read-only) page of a writable region: copy it, or reuse it
 * in place when it is ours alone. vm->lock held; let go while the copy is made, so that
 * 4 KiB of copying does not keep interrupts off: only this process's one thread changes
 * its PTEs (<inox/mm/vm.h>), and its mapping keeps a reference on the old page, so *pte and
 * old are the same when the lock is back. Another sharer may drop its reference meanwhile;
 * then the copy was not needed, and the old page is freed by the put below.
 */
static int cow_break(struct vm_space *vm, pte_t *pte, uintptr_t va, k_spinlock_key_t *key)
{
	struct page *old = pa_to_page(PTE_PA(*pte));
	struct page *copy;

	stat_inc(&vm_stats.cow_faults, 1);
	if (page_ref_count(old) == 1) {
		*pte = (*pte & ~PTE_COW) | PTE_W;
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
		*pte = PA_TO_PTE(page_to_pa(copy)) |
		       ((*pte & ((1UL << PTE_PPN_SHIFT) - 1) & ~PTE_COW) | PTE_W);
		page_ref_put(old);
		stat_inc(&vm_stats.cow_copies, 1);
	}
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
			relax(vm, key);
		}
	}
	return va >= end;
}

/* Gives the mapped pages of l0[first..last] the permission bits *arg (pte_t). */
static void protect_leaf(pte_t *l0, unsigned int first, unsigned int last, void *arg)
{
	pte_t bits = *(pte_t *)arg;

	for (unsigned int i = first; i <= last; i++) {
		if (l0[i] != 0) {
			l0[i] = (l0[i] & ~(PTE_R | PTE_W | PTE_X | PTE_U)) | bits;
		}
	}
}

/* Splits r at va (inside it): r keeps [start, va), a new record takes [va, end). 0, or
 * -ENOMEM (no memory, or the region cap). vm->lock held. */
static int region_split(struct vm_space *vm, struct vm_region *r, uintptr_t va)
{
	struct vm_region *tail = region_alloc(vm);

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
	unsigned int edits = 0;
	int ret = 0;

	/* Every page of the range must be in some region, as Linux requires (-ENOMEM). */
	if (!covered(vm, start, end, &key)) {
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
	for (struct vm_region *r = region_from(vm, start); ret == 0 && r != NULL && r->start < end;
	     r = region_next(r)) {
		pte_t bits;

		if (++edits % REGIONS_PER_HOLD == 0) {
			relax(vm, &key);
		}
		if (r->prot == prot) {
			continue;
		}
		r->prot = prot;
		if (prot == 0) {
			/* PROT_NONE drops the pages (their contents do not survive, unlike on
			 * Linux): a mapped page without permissions would still be reachable by
			 * the kernel's uaccess, which only the page tables stop. */
			unmap_pages(vm, r->start, r->end, &key);
			continue;
		}
		/* Writable again only through the fault path (the page may be shared). */
		bits = prot_to_pte(prot) & ~PTE_W;
		for_each_leaf(vm, r->start, r->end, &key, protect_leaf, &bits);
	}
	k_spin_unlock(&vm->lock, key);
	arch_tlb_flush_all();
	return ret;
}

int vm_fault(struct vm_space *vm, uintptr_t va, bool write, bool exec)
{
	k_spinlock_key_t key = k_spin_lock(&vm->lock);
	struct vm_region *r = vm_region_find(vm, va);
	unsigned int need = exec ? VM_EXEC : (write ? VM_WRITE : VM_READ);
	pte_t *pte;
	int ret = 0;

	va = ROUND_DOWN(va, PAGE_SIZE);
	if (r == NULL || !(r->prot & need) ||
	    (r->kind == VM_HEAP && va >= ROUND_UP(vm->brk, PAGE_SIZE))) {
		k_spin_unlock(&vm->lock, key);
		return -EFAULT;
	}
	pte = walk(vm, va, true);
	if (pte == NULL) {
		ret = -ENOMEM;
	} else if (!(*pte & PTE_V)) {
		struct page *p;

		/* Zeroed with interrupts on (the PTE stays unmapped: one thread, see above). */
		k_spin_unlock(&vm->lock, key);
		p = page_alloc_zeroed();
		key = k_spin_lock(&vm->lock);
		if (p == NULL) {
			ret = -ENOMEM;
		} else {
			*pte = PA_TO_PTE(page_to_pa(p)) | prot_to_pte(r->prot);
			vm->user_pages++;
			stat_inc(&vm_stats.lazy_faults, 1);
		}
	} else if (write && !(*pte & PTE_W)) {
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
