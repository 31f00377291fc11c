/* SPDX-License-Identifier: Apache-2.0 */
/* Doubly-linked circular lists with a sentinel, as Zephyr's sys_dlist. No locking. */
#ifndef INOX_SYS_DLIST_H_
#define INOX_SYS_DLIST_H_

#include <stdbool.h>
#include <stddef.h>

typedef struct sys_dnode {
	struct sys_dnode *next;
	struct sys_dnode *prev;
} sys_dnode_t;

typedef sys_dnode_t sys_dlist_t;

#define SYS_DLIST_STATIC_INIT(list)                                                                \
	{                                                                                          \
		.next = (list), .prev = (list)                                                     \
	}

static inline void sys_dlist_init(sys_dlist_t *list)
{
	list->next = list;
	list->prev = list;
}

static inline void sys_dnode_init(sys_dnode_t *node)
{
	node->next = NULL;
	node->prev = NULL;
}

static inline bool sys_dnode_is_linked(const sys_dnode_t *node)
{
	return node->next != NULL;
}

static inline bool sys_dlist_is_empty(const sys_dlist_t *list)
{
	return list->next == list;
}

static inline sys_dnode_t *sys_dlist_peek_head(const sys_dlist_t *list)
{
	return sys_dlist_is_empty(list) ? NULL : list->next;
}

/* The node after `node`, or NULL at the end. */
static inline sys_dnode_t *sys_dlist_peek_next(const sys_dlist_t *list, const sys_dnode_t *node)
{
	return node->next == list ? NULL : node->next;
}

/* Inserts `node` before `succ` (which may be the list itself: append). */
static inline void sys_dlist_insert(sys_dnode_t *succ, sys_dnode_t *node)
{
	node->prev = succ->prev;
	node->next = succ;
	succ->prev->next = node;
	succ->prev = node;
}

static inline void sys_dlist_append(sys_dlist_t *list, sys_dnode_t *node)
{
	sys_dlist_insert(list, node);
}

static inline void sys_dlist_prepend(sys_dlist_t *list, sys_dnode_t *node)
{
	sys_dlist_insert(list->next, node);
}

static inline void sys_dlist_remove(sys_dnode_t *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	sys_dnode_init(node);
}

static inline sys_dnode_t *sys_dlist_get(sys_dlist_t *list)
{
	sys_dnode_t *node = sys_dlist_peek_head(list);

	if (node != NULL) {
		sys_dlist_remove(node);
	}
	return node;
}

#define SYS_DLIST_FOR_EACH_NODE(list, n) for (n = (list)->next; n != (list); n = n->next)

#define SYS_DLIST_FOR_EACH_NODE_SAFE(list, n, s)                                                   \
	for (n = (list)->next, s = n->next; n != (list); n = s, s = n->next)

#endif /* INOX_SYS_DLIST_H_ */
