/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Object caches: see <inox/mm/cache.h>.
 *
 * Each page of a cache starts with a struct cache_page; the objects follow, from
 * FIRST_OBJECT on. A free object holds the address of the next free object of its page, so
 * a page needs no other bookkeeping. The cache lists the pages that have a free object;
 * a full page is on no list and joins it again when one of its objects is freed; an empty
 * page goes back to the page allocator.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/mm/cache.h>
#include <inox/mm/page.h>
#include <inox/arch/mmu.h>

struct cache_page {
	sys_dnode_t node; /* in cache->partial while free != NULL */
	struct mm_cache *cache;
	void *free; /* first free object */
	unsigned long inuse; /* objects handed out */
};

#define FIRST_OBJECT ROUND_UP(sizeof(struct cache_page), MM_CACHE_ALIGN)

size_t mm_cache_per_page(const struct mm_cache *cache)
{
	return (PAGE_SIZE - FIRST_OBJECT) / cache->size;
}

/* A new page of the cache with every object free, or NULL. cache->lock held. */
static struct cache_page *page_new(struct mm_cache *cache)
{
	struct page *p = page_alloc();
	struct cache_page *cp;
	char *obj;
	size_t n = mm_cache_per_page(cache);

	if (p == NULL) {
		return NULL;
	}
	__ASSERT(n >= 2, "cache %s: objects of %zu bytes do not fit twice in a page", cache->name,
		 cache->size);
	cp = page_to_virt(p);
	cp->cache = cache;
	cp->inuse = 0;
	cp->free = NULL;
	obj = (char *)cp + FIRST_OBJECT + (n - 1) * cache->size;
	for (size_t i = 0; i < n; i++, obj -= cache->size) {
		*(void **)obj = cp->free;
		cp->free = obj;
	}
	sys_dlist_append(&cache->partial, &cp->node);
	cache->pages++;
	return cp;
}

void *mm_cache_alloc(struct mm_cache *cache)
{
	k_spinlock_key_t key = k_spin_lock(&cache->lock);
	sys_dnode_t *head = sys_dlist_peek_head(&cache->partial);
	struct cache_page *cp;
	void *obj;

	if (head != NULL) {
		cp = CONTAINER_OF(head, struct cache_page, node);
	} else if ((cp = page_new(cache)) == NULL) {
		k_spin_unlock(&cache->lock, key);
		return NULL;
	}
	obj = cp->free;
	cp->free = *(void **)obj;
	cp->inuse++;
	if (cp->free == NULL) {
		sys_dlist_remove(&cp->node);
	}
	cache->objects++;
	k_spin_unlock(&cache->lock, key);
	return obj;
}

void *mm_cache_zalloc(struct mm_cache *cache)
{
	void *obj = mm_cache_alloc(cache);

	if (obj != NULL) {
		memset(obj, 0, cache->size);
	}
	return obj;
}

void mm_cache_free(struct mm_cache *cache, void *obj)
{
	struct cache_page *cp = (struct cache_page *)ROUND_DOWN((uintptr_t)obj, PAGE_SIZE);
	uintptr_t off = (uintptr_t)obj - (uintptr_t)cp;
	k_spinlock_key_t key;

	if (cp->cache != cache || off < FIRST_OBJECT || (off - FIRST_OBJECT) % cache->size != 0 ||
	    (off - FIRST_OBJECT) / cache->size >= mm_cache_per_page(cache)) {
		panic("mm_cache_free: %p is not an object of cache %s", obj, cache->name);
	}
	key = k_spin_lock(&cache->lock);
	if (IS_ENABLED(CONFIG_ASSERT)) {
		for (void *f = cp->free; f != NULL; f = *(void **)f) {
			if (f == obj) {
				/* Unlocked first: a test recovers from the panic and goes on. */
				k_spin_unlock(&cache->lock, key);
				panic("mm_cache_free: %p of cache %s freed twice", obj,
				      cache->name);
			}
		}
	}
	if (cp->free == NULL) {
		sys_dlist_append(&cache->partial, &cp->node);
	}
	*(void **)obj = cp->free;
	cp->free = obj;
	cache->objects--;
	if (--cp->inuse == 0) {
		sys_dlist_remove(&cp->node);
		cache->pages--;
		cp->cache = NULL;
		k_spin_unlock(&cache->lock, key);
		page_ref_put(pa_to_page(z_virt_to_phys(cp)));
		return;
	}
	k_spin_unlock(&cache->lock, key);
}
