/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host test of lib/os/rbtree.c: random inserts and erases of keyed records, checked after
 * each against the red-black rules (root black, no red node with a red child, equal black
 * heights, parent links right) and against a plain array of which keys are in (in-order walks
 * forwards and backwards). Prints "rbtree: N operations, max height H" and exits 0, or names
 * the first broken rule and exits 1. Built and run by tests/scripts/test_unit.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <inox/sys/rbtree.h>

#define KEYS 2000
#define OPS  200000

struct rec {
	struct rbnode node;
	int key;
	bool in;
};

static struct rec recs[KEYS];
static struct rbtree tree;

static int key_of(const struct rbnode *n)
{
	return ((const struct rec *)n)->key;
}

static void fail(const char *what, int key)
{
	printf("rbtree: FAIL: %s (key %d)\n", what, key);
	exit(1);
}

/* Black height of the subtree at n; checks the rules below it. */
static int check(const struct rbnode *n, const struct rbnode *parent, int depth, int *height)
{
	int l;
	int r;

	if (n == NULL) {
		return 1;
	}
	if (depth > *height) {
		*height = depth;
	}
	if (n->parent != parent) {
		fail("parent link", key_of(n));
	}
	if (n->red && ((n->left && n->left->red) || (n->right && n->right->red))) {
		fail("red node with a red child", key_of(n));
	}
	if ((n->left && key_of(n->left) >= key_of(n)) ||
	    (n->right && key_of(n->right) <= key_of(n))) {
		fail("order", key_of(n));
	}
	l = check(n->left, n, depth + 1, height);
	r = check(n->right, n, depth + 1, height);
	if (l != r) {
		fail("black heights differ", key_of(n));
	}
	return l + !n->red;
}

static void check_all(int *height)
{
	const struct rbnode *n = rb_first(&tree);
	int k = 0;

	if (tree.root != NULL && tree.root->red) {
		fail("red root", key_of(tree.root));
	}
	check(tree.root, NULL, 1, height);
	for (; n != NULL; n = rb_next(n), k++) {
		while (k < KEYS && !recs[k].in) {
			k++;
		}
		if (k == KEYS || key_of(n) != k) {
			fail("forward walk", key_of(n));
		}
	}
	while (k < KEYS && !recs[k].in) {
		k++;
	}
	if (k != KEYS) {
		fail("forward walk ends early", k);
	}
	k = KEYS - 1;
	for (n = rb_last(&tree); n != NULL; n = rb_prev(n), k--) {
		while (k >= 0 && !recs[k].in) {
			k--;
		}
		if (k < 0 || key_of(n) != k) {
			fail("backward walk", key_of(n));
		}
	}
}

static void insert(struct rec *r)
{
	struct rbnode **link = &tree.root;
	struct rbnode *parent = NULL;

	while (*link != NULL) {
		parent = *link;
		link = r->key < key_of(parent) ? &parent->left : &parent->right;
	}
	rb_insert(&tree, &r->node, parent, link);
	r->in = true;
}

int main(void)
{
	unsigned int seed = 1;
	int height = 0;

	for (int i = 0; i < KEYS; i++) {
		recs[i].key = i;
	}
	/* Ascending inserts, the worst case for an unbalanced tree, then random churn. */
	for (int i = 0; i < KEYS; i++) {
		insert(&recs[i]);
	}
	check_all(&height);
	for (int op = 0; op < OPS; op++) {
		struct rec *r = &recs[rand_r(&seed) % KEYS];

		if (r->in) {
			rb_erase(&tree, &r->node);
			r->in = false;
		} else {
			insert(r);
		}
		if (op % 97 == 0 || op < 5000) {
			check_all(&height);
		}
	}
	for (int i = 0; i < KEYS; i++) {
		if (recs[i].in) {
			rb_erase(&tree, &recs[i].node);
			recs[i].in = false;
		}
	}
	check_all(&height);
	if (tree.root != NULL) {
		fail("tree not empty", 0);
	}
	printf("rbtree: %d operations, max height %d\n", OPS, height);
	return 0;
}
