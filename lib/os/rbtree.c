/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Red-black tree (see <inox/sys/rbtree.h>), the textbook algorithm (Cormen et al., ch. 13)
 * with parent pointers and NULL leaves: every path from a node to its leaves has the same
 * number of black nodes, and a red node has no red child, so the height stays below
 * 2 log2(n + 1).
 */
#include <inox/sys/rbtree.h>

static bool is_red(const struct rbnode *n)
{
	return n != NULL && n->red;
}

/* Points whatever pointed at old (its parent's child link, or the root) at new. */
static void replace_child(struct rbtree *tree, struct rbnode *parent, struct rbnode *old,
			  struct rbnode *new)
{
	if (parent == NULL) {
		tree->root = new;
	} else if (parent->left == old) {
		parent->left = new;
	} else {
		parent->right = new;
	}
}

/* Rotates left around x: its right child y takes its place, x becomes y's left child. */
static void rotate_left(struct rbtree *tree, struct rbnode *x)
{
	struct rbnode *y = x->right;

	x->right = y->left;
	if (y->left != NULL) {
		y->left->parent = x;
	}
	y->parent = x->parent;
	replace_child(tree, x->parent, x, y);
	y->left = x;
	x->parent = y;
}

static void rotate_right(struct rbtree *tree, struct rbnode *x)
{
	struct rbnode *y = x->left;

	x->left = y->right;
	if (y->right != NULL) {
		y->right->parent = x;
	}
	y->parent = x->parent;
	replace_child(tree, x->parent, x, y);
	y->right = x;
	x->parent = y;
}

void rb_insert(struct rbtree *tree, struct rbnode *node, struct rbnode *parent,
	       struct rbnode **link)
{
	node->parent = parent;
	node->left = NULL;
	node->right = NULL;
	node->red = true;
	*link = node;

	/* Only a red node under a red parent breaks the rules: fix upward. */
	while (is_red(node->parent)) {
		struct rbnode *p = node->parent;
		struct rbnode *g = p->parent; /* exists: the root is black */
		struct rbnode *uncle = g->left == p ? g->right : g->left;

		if (is_red(uncle)) {
			p->red = false;
			uncle->red = false;
			g->red = true;
			node = g;
			continue;
		}
		if (g->left == p) {
			if (p->right == node) {
				rotate_left(tree, p);
				node = p;
				p = node->parent;
			}
			rotate_right(tree, g);
		} else {
			if (p->left == node) {
				rotate_right(tree, p);
				node = p;
				p = node->parent;
			}
			rotate_left(tree, g);
		}
		p->red = false;
		g->red = true;
		break;
	}
	tree->root->red = false;
}

/* Restores the black heights after a black node was removed above x (x may be NULL, then
 * parent says where it is). */
static void erase_fixup(struct rbtree *tree, struct rbnode *x, struct rbnode *parent)
{
	while (x != tree->root && !is_red(x)) {
		if (parent->left == x) {
			struct rbnode *w = parent->right;

			if (is_red(w)) {
				w->red = false;
				parent->red = true;
				rotate_left(tree, parent);
				w = parent->right;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = parent;
				parent = x->parent;
				continue;
			}
			if (!is_red(w->right)) {
				w->left->red = false;
				w->red = true;
				rotate_right(tree, w);
				w = parent->right;
			}
			w->red = parent->red;
			parent->red = false;
			w->right->red = false;
			rotate_left(tree, parent);
		} else {
			struct rbnode *w = parent->left;

			if (is_red(w)) {
				w->red = false;
				parent->red = true;
				rotate_right(tree, parent);
				w = parent->left;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = parent;
				parent = x->parent;
				continue;
			}
			if (!is_red(w->left)) {
				w->right->red = false;
				w->red = true;
				rotate_left(tree, w);
				w = parent->left;
			}
			w->red = parent->red;
			parent->red = false;
			w->left->red = false;
			rotate_right(tree, parent);
		}
		x = tree->root;
		break;
	}
	if (x != NULL) {
		x->red = false;
	}
}

void rb_erase(struct rbtree *tree, struct rbnode *node)
{
	struct rbnode *x;
	struct rbnode *parent;
	bool removed_red;

	if (node->left == NULL || node->right == NULL) {
		/* At most one child: it takes node's place. */
		x = node->left != NULL ? node->left : node->right;
		parent = node->parent;
		removed_red = node->red;
		replace_child(tree, parent, node, x);
		if (x != NULL) {
			x->parent = parent;
		}
	} else {
		/* Two children: the successor y (leftmost of the right subtree, no left child)
		 * leaves its spot to its right child and takes node's place and colour. */
		struct rbnode *y = node->right;

		while (y->left != NULL) {
			y = y->left;
		}
		removed_red = y->red;
		x = y->right;
		if (y->parent == node) {
			parent = y;
		} else {
			parent = y->parent;
			parent->left = x;
			if (x != NULL) {
				x->parent = parent;
			}
			y->right = node->right;
			y->right->parent = y;
		}
		y->left = node->left;
		y->left->parent = y;
		y->parent = node->parent;
		y->red = node->red;
		replace_child(tree, node->parent, node, y);
	}
	if (!removed_red) {
		erase_fixup(tree, x, parent);
	}
}

struct rbnode *rb_first(const struct rbtree *tree)
{
	struct rbnode *n = tree->root;

	while (n != NULL && n->left != NULL) {
		n = n->left;
	}
	return n;
}

struct rbnode *rb_last(const struct rbtree *tree)
{
	struct rbnode *n = tree->root;

	while (n != NULL && n->right != NULL) {
		n = n->right;
	}
	return n;
}

struct rbnode *rb_next(const struct rbnode *node)
{
	if (node->right != NULL) {
		node = node->right;
		while (node->left != NULL) {
			node = node->left;
		}
		return (struct rbnode *)node;
	}
	while (node->parent != NULL && node->parent->right == node) {
		node = node->parent;
	}
	return node->parent;
}

struct rbnode *rb_prev(const struct rbnode *node)
{
	if (node->left != NULL) {
		node = node->left;
		while (node->right != NULL) {
			node = node->right;
		}
		return (struct rbnode *)node;
	}
	while (node->parent != NULL && node->parent->left == node) {
		node = node->parent;
	}
	return node->parent;
}
