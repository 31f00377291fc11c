/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An intrusive red-black tree: insert, erase and lookup in O(log n), and in-order walks, with
 * no allocation (the node lives in the caller's record, as Linux's rb_node and Zephyr's
 * rbnode). The caller descends the tree itself, with its own comparison, to find where a
 * record goes or where a key is, then calls rb_insert() with the link it found.
 *
 *	struct rbnode **link = &tree->root, *parent = NULL;
 *	while (*link != NULL) {
 *		parent = *link;
 *		link = key < KEY_OF(parent) ? &parent->left : &parent->right;
 *	}
 *	rb_insert(tree, node, parent, link);
 *
 * No locking: the tree is guarded by whatever guards the records.
 */
#ifndef INOX_SYS_RBTREE_H_
#define INOX_SYS_RBTREE_H_

#include <stdbool.h>
#include <stddef.h>

struct rbnode {
	struct rbnode *parent;
	struct rbnode *left;
	struct rbnode *right;
	bool red;
};

struct rbtree {
	struct rbnode *root;
};

/* Links node as a leaf at *link (a NULL child pointer of parent, or the root when parent is
 * NULL) and rebalances. */
void rb_insert(struct rbtree *tree, struct rbnode *node, struct rbnode *parent,
	       struct rbnode **link);
/* Takes node out of tree and rebalances. */
void rb_erase(struct rbtree *tree, struct rbnode *node);

/* The first (smallest) and last nodes, and a node's in-order neighbours; NULL past an end. */
struct rbnode *rb_first(const struct rbtree *tree);
struct rbnode *rb_last(const struct rbtree *tree);
struct rbnode *rb_next(const struct rbnode *node);
struct rbnode *rb_prev(const struct rbnode *node);

#endif /* INOX_SYS_RBTREE_H_ */
