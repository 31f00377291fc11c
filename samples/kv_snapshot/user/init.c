/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kv_snapshot: Redis's BGSAVE on fork. An in-memory key-value store (a chained hash table on
 * malloc) forks a child that walks the store as it was at fork and sends back the key count
 * and a checksum, while the parent keeps updating. The parent computed the same checksum at
 * fork time and checks the child's matches. The first snapshot forks copy-on-write, the
 * second eagerly; the kernel's counters say how much memory each one copied.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define PAGE      4096
#define KEYS      20000 /* loaded at start */
#define MAX_KEYS  40000 /* key space: the parent inserts new keys past KEYS */
#define HOT_KEYS  (KEYS / 10)
#define NBUCKETS  8192
#define VALUE_LEN 40
#define UPDATES   10000 /* the parent's updates per snapshot */
#define BATCH     250 /* updates between looks at the child */
#define SAVE_STEP 1024 /* entries the child saves between yields, as between disk writes */

struct entry {
	struct entry *next;
	uint32_t key;
	uint32_t version;
	char value[VALUE_LEN];
};

static struct entry **buckets;
static uint32_t nkeys;
static uint32_t versions[MAX_KEYS]; /* the model the store must match: 0 = absent */
static uint32_t next_version = 1;
static uint32_t next_key = KEYS;
static uint64_t rng = 0x2545f4914f6cdd1du;

/* What the child sends: what it saved. */
struct snapshot_report {
	uint64_t count;
	uint64_t sum;
};

static uint32_t random32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint32_t bucket_of(uint32_t key)
{
	return (key * 2654435761u) % NBUCKETS;
}

static void value_fill(char *value, uint32_t key, uint32_t version)
{
	int n = snprintf(value, VALUE_LEN, "user:%u:v%u:", key, version);

	for (int i = n; i < VALUE_LEN; i++) {
		value[i] = 'a' + (key + version + i) % 26;
	}
}

static struct entry *kv_find(uint32_t key)
{
	struct entry *e = buckets[bucket_of(key)];

	while (e != NULL && e->key != key) {
		e = e->next;
	}
	return e;
}

/* Sets key to a new version, inserting it if absent. Returns 0, or -1 when out of memory. */
static int kv_set(uint32_t key)
{
	struct entry *e = kv_find(key);

	if (e == NULL) {
		e = malloc(sizeof(*e));
		if (e == NULL) {
			return -1;
		}
		e->key = key;
		e->next = buckets[bucket_of(key)];
		buckets[bucket_of(key)] = e;
		nkeys++;
	}
	e->version = next_version++;
	value_fill(e->value, key, e->version);
	versions[key] = e->version;
	return 0;
}

static void kv_del(uint32_t key)
{
	struct entry **link = &buckets[bucket_of(key)];

	while (*link != NULL && (*link)->key != key) {
		link = &(*link)->next;
	}
	if (*link != NULL) {
		struct entry *e = *link;

		*link = e->next;
		free(e);
		nkeys--;
		versions[key] = 0;
	}
}

/*
 * FNV-1a over every entry, bucket by bucket: the child and the parent walk the same table,
 * so they agree exactly when the child sees the store as it was at fork. Counts entries in
 * *count. The child yields every SAVE_STEP entries, giving the parent time to write.
 */
static uint64_t kv_checksum(uint64_t *count, int yield)
{
	uint64_t sum = 0xcbf29ce484222325u;
	uint64_t n = 0;

	for (uint32_t b = 0; b < NBUCKETS; b++) {
		for (struct entry *e = buckets[b]; e != NULL; e = e->next) {
			const unsigned char *bytes = (const unsigned char *)&e->key;

			/* key, version and value are contiguous, with no padding between */
			for (size_t i = 0; i < 8 + VALUE_LEN; i++) {
				sum = (sum ^ bytes[i]) * 0x100000001b3u;
			}
			if (yield && ++n % SAVE_STEP == 0) {
				sched_yield();
			} else if (!yield) {
				n++;
			}
		}
	}
	*count = n;
	return sum;
}

/*
 * One update, as a cache sees them: sets of a small hot set of keys, a few sets of any key,
 * inserts of new keys and deletes of hot ones. What the parent writes decides how many pages
 * the snapshot copies: writes spread over the whole store would copy all of it.
 */
static void update_one(void)
{
	uint32_t op = random32() % 100;

	if (op < 90) {
		CHECK(kv_set(random32() % HOT_KEYS) == 0);
	} else if (op < 91) {
		CHECK(kv_set(random32() % KEYS) == 0);
	} else if (op < 96 && next_key < MAX_KEYS) {
		CHECK(kv_set(next_key++) == 0);
	} else {
		kv_del(random32() % HOT_KEYS);
	}
}

/* Every key the model holds is in the store with its version and value, and no other. */
static int store_matches_model(void)
{
	uint32_t present = 0;
	char value[VALUE_LEN];

	for (uint32_t key = 0; key < MAX_KEYS; key++) {
		struct entry *e = kv_find(key);

		if ((e != NULL) != (versions[key] != 0)) {
			return 0;
		}
		if (e != NULL) {
			value_fill(value, key, versions[key]);
			if (e->version != versions[key] ||
			    memcmp(e->value, value, VALUE_LEN) != 0) {
				return 0;
			}
			present++;
		}
	}
	return present == nkeys;
}

/*
 * BGSAVE: forks a child that checksums the store while this process makes UPDATES updates;
 * checks the child saw the store as it was at fork and prints what the snapshot copied.
 */
static void bgsave(const char *how, uint64_t store_pages)
{
	struct snapshot_report rep = {0};
	struct inox_memstat st0;
	struct inox_memstat st1;
	uint64_t fork_count;
	uint64_t fork_sum = kv_checksum(&fork_count, 0);
	int finished_by = 0; /* updates made when the parent saw the child gone; 0: not yet */
	int fds[2];
	int status;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	fflush(stdout);
	inox_memstat(&st0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		rep.sum = kv_checksum(&rep.count, 1);
		_exit(write(fds[1], &rep, sizeof(rep)) == sizeof(rep) ? 0 : 1);
	}
	CHECK(pid > 0);
	close(fds[1]);
	for (int i = 0; i < UPDATES; i++) {
		update_one();
		if (i % BATCH == BATCH - 1 && finished_by == 0) {
			if (waitpid(pid, &status, WNOHANG) == pid) {
				finished_by = i + 1;
			}
			sched_yield();
		}
	}
	if (finished_by == 0) {
		status = wait_status(pid);
	}
	inox_memstat(&st1);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(read(fds[0], &rep, sizeof(rep)) == sizeof(rep));
	close(fds[0]);
	CHECK(rep.count == fork_count && rep.sum == fork_sum);

	uint64_t at_fork = st1.pages_copied_at_fork - st0.pages_copied_at_fork;
	uint64_t on_write = st1.cow_copies - st0.cow_copies;
	uint64_t now_count;
	int changed = kv_checksum(&now_count, 0) != fork_sum;

	CHECK(changed);
	printf("BGSAVE, %s fork: child saved %llu keys, checksum %016llx %s\n", how,
	       (unsigned long long)rep.count, (unsigned long long)rep.sum,
	       rep.sum == fork_sum ? "= parent's at fork" : "!= parent's at fork");
	if (finished_by != 0) {
		printf("  parent: %d updates, the child done within the first %d; store changed: %s\n",
		       UPDATES, finished_by, changed ? "yes" : "no");
	} else {
		printf("  parent: %d updates, the child still saving after them; store changed: %s\n",
		       UPDATES, changed ? "yes" : "no");
	}
	printf("  memory copied: %llu pages at fork + %llu on write (store: %llu pages, %llu%%)\n",
	       (unsigned long long)at_fork, (unsigned long long)on_write,
	       (unsigned long long)store_pages,
	       (unsigned long long)((at_fork + on_write) * 100 / store_pages));
}

int main(void)
{
	char *heap_start = sbrk(0);
	uint64_t store_pages;
	uint64_t count;

	buckets = calloc(NBUCKETS, sizeof(*buckets));
	CHECK(buckets != NULL);
	for (uint32_t key = 0; key < KEYS && buckets != NULL; key++) {
		CHECK(kv_set(key) == 0);
	}
	store_pages = ((char *)sbrk(0) - heap_start + PAGE - 1) / PAGE;
	printf("kv_snapshot: %u keys, %llu KiB store (%llu pages) on the heap\n", nkeys,
	       (unsigned long long)store_pages * 4, (unsigned long long)store_pages);

	if (inox_fork_mode(INOX_FORK_COW) >= 0) {
		bgsave("COW", store_pages);
	} else {
		CHECK(errno == ENOTSUP);
		printf("BGSAVE, COW fork: not built (CONFIG_MM_COW=n)\n");
	}
	CHECK(inox_fork_mode(INOX_FORK_EAGER) >= 0);
	bgsave("eager", store_pages);

	CHECK(store_matches_model());
	printf("store now: %u keys, checksum %016llx, matches the model: %s\n", nkeys,
	       (unsigned long long)kv_checksum(&count, 0), store_matches_model() ? "yes" : "no");
	CHECK(count == nkeys);
	printf("kv_snapshot: %d failures: %s\n", failures, failures == 0 ? "PASS" : "FAIL");
	return failures == 0 ? 0 : 1;
}
