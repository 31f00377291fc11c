/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The process table, fork, exit, wait, kill, and the first process. Locking: see
 * <inox/proc/proc.h> (z_sched_lock guards the table and the tree).
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/proc/proc.h>
#include <inox/proc/file.h>
#include <inox/proc/initramfs.h>
#include <inox/uapi/proclist.h>
#include <inox/uapi/sched.h>
#include <inox/arch/esf.h>
#include <inox/kernel/user_entry.h>
#include "ksched.h"
#include "kernel_arch_interface.h"

static struct proc procs[CONFIG_MAX_PROCS];
K_THREAD_STACK_ARRAY_DEFINE(proc_stacks, CONFIG_MAX_PROCS, CONFIG_PROC_KSTACK_SIZE);
static int next_pid = 1;
static struct proc *init_proc;

struct proc *proc_slot(int slot)
{
	return slot >= 0 && slot < CONFIG_MAX_PROCS ? &procs[slot] : NULL;
}

struct proc *proc_current(void)
{
	struct proc *p = CONTAINER_OF(k_current_get(), struct proc, thread);

	return (p >= procs && p < procs + CONFIG_MAX_PROCS) ? p : NULL;
}

/* The trap frame a process's user context lives in: the top of its kernel stack. */
static struct arch_esf *user_esf(struct proc *p)
{
	uintptr_t top = (uintptr_t)p->kstack + K_THREAD_GUARD_SIZE + CONFIG_PROC_KSTACK_SIZE;

	return (struct arch_esf *)(top - sizeof(struct arch_esf));
}

unsigned int proc_count(void)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	unsigned int n = 0;

	for (int i = 0; i < CONFIG_MAX_PROCS; i++) {
		n += procs[i].state != PROC_FREE;
	}
	k_spin_unlock(&z_sched_lock, key);
	return n;
}

int proc_info(int slot, struct inox_procinfo *info)
{
	k_spinlock_key_t key;
	struct proc *p;
	int ret = 0;

	if (slot < 0 || slot >= CONFIG_MAX_PROCS) {
		return -1;
	}
	p = &procs[slot];
	key = k_spin_lock(&z_sched_lock);
	/* A zombie that reaps itself is gone already, as on Linux. */
	if (p->state == PROC_RUNNING || (p->state == PROC_ZOMBIE && !p->sig.autoreap)) {
		memset(info, 0, sizeof(*info));
		info->pid = p->pid;
		info->ppid = p->parent != NULL ? p->parent->pid : 0;
		info->state = p->state == PROC_ZOMBIE ? INOX_PROC_ZOMBIE :
			      p->sig.stopped          ? INOX_PROC_STOPPED :
			      (p->thread.state & (THREAD_PENDING | THREAD_SLEEPING)) ?
					       INOX_PROC_SLEEPING :
					       INOX_PROC_RUNNING;
		info->pgid = p->pgid;
		info->sid = p->sid;
		info->user_pages = p->vm != NULL ? p->vm->user_pages : 0;
		strlcpy(info->name, p->name, sizeof(info->name));
		ret = 1;
	}
	k_spin_unlock(&z_sched_lock, key);
	return ret;
}

/* A zombie nobody waits for (its parent ignored SIGCHLD) whose thread is off its stack: its
 * slot is free (lock held). */
static bool reapable_locked(struct proc *p)
{
	return p->state == PROC_ZOMBIE && p->sig.autoreap && (p->thread.state & THREAD_DEAD) &&
	       !sys_dnode_is_linked(&p->thread.all_node);
}

/* A free slot, as an embryo with a new pid; NULL when the table is full. */
static struct proc *proc_alloc(void)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct proc *p = NULL;

	for (int i = 0; i < CONFIG_MAX_PROCS; i++) {
		if (procs[i].state == PROC_FREE || reapable_locked(&procs[i])) {
			p = &procs[i];
			break;
		}
	}
	if (p != NULL) {
		int slot = p - procs;

		memset(p, 0, sizeof(*p));
		p->state = PROC_EMBRYO;
		p->pid = next_pid++;
		p->kstack = proc_stacks[slot];
		sys_dlist_init(&p->children);
		sys_dlist_init(&p->child_wq.waitq);
		signal_init(p);
	}
	k_spin_unlock(&z_sched_lock, key);
	return p;
}

/* Returns a slot to the table; its thread must be dead (joined) or never started. */
static void proc_free(struct proc *p)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	p->state = PROC_FREE;
	k_spin_unlock(&z_sched_lock, key);
}

#define INIT_MAX_ARGS 16

/* Splits CONFIG_INIT_ARGS at spaces into argv[1..] behind the program's path (words past
 * INIT_MAX_ARGS - 1 dropped); buf holds the words. */
static void init_argv(char *argv[INIT_MAX_ARGS + 1], char buf[sizeof(CONFIG_INIT_ARGS)])
{
	int argc = 0;

	memcpy(buf, CONFIG_INIT_ARGS, sizeof(CONFIG_INIT_ARGS));
	argv[argc++] = CONFIG_INIT_PROGRAM;
	for (char *s = buf; *s != '\0' && argc < INIT_MAX_ARGS;) {
		while (*s == ' ') {
			*s++ = '\0';
		}
		if (*s == '\0') {
			break;
		}
		argv[argc++] = s;
		while (*s != ' ' && *s != '\0') {
			s++;
		}
	}
	argv[argc] = NULL;
}

/* Every process thread starts here, its user context already in its trap frame (init
 * first loads its program). */
static void user_thread_entry(void *arg, void *p2, void *p3)
{
	struct proc *p = arg;

	if (p == init_proc && p->vm == NULL) {
		char buf[sizeof(CONFIG_INIT_ARGS)];
		char *argv[INIT_MAX_ARGS + 1];
		char *envp[] = {NULL};
		long ret;

		init_argv(argv, buf);
		ret = proc_exec(user_esf(p), CONFIG_INIT_PROGRAM, argv, envp);

		if (ret != 0) {
			printk("init: cannot run %s (%ld)\n", CONFIG_INIT_PROGRAM, ret);
			proc_exit(W_EXITCODE(127));
		}
	}
	arch_irq_lock();
	/* Killed before it ever ran (a child killed straight after fork): it ends here, as on
	 * every other way back to user mode. */
	user_return(user_esf(p));
	arch_user_mode_enter(user_esf(p));
}

/* Creates and starts p's thread; p becomes RUNNING. */
static void proc_start(struct proc *p)
{
	k_spinlock_key_t key;

	k_thread_create(&p->thread, p->kstack, CONFIG_PROC_KSTACK_SIZE, user_thread_entry, p, NULL,
			NULL, proc_sched_kernel_prio(p->policy, p->rt_priority), 0, K_FOREVER);
	p->thread.no_timeslice = p->policy == SCHED_FIFO;
	snprintk(p->thread.name, sizeof(p->thread.name), "pid %d", p->pid);
	/* The user context owns the top of the stack; the thread's own frames go below it. */
	p->thread.ctx.sp = (uintptr_t)user_esf(p);
	p->thread.vm_token = p->vm != NULL ? vm_space_token(p->vm) : 0;
	p->thread.last_cpu = -1;
	key = k_spin_lock(&z_sched_lock);
	p->state = PROC_RUNNING;
	k_spin_unlock(&z_sched_lock, key);
	k_thread_start(&p->thread);
}

int proc_run_init(void)
{
	struct proc *p = proc_alloc();
	int status;

	if (p == NULL) {
		return -EAGAIN;
	}
	if (fd_open_console(p) != 0) {
		proc_free(p);
		return -ENOMEM;
	}
	strlcpy(p->name, "init", sizeof(p->name));
	tty_attach_init(p);
	init_proc = p;
	proc_start(p);
	k_thread_join(&p->thread, K_FOREVER);
	status = p->wait_status;
	proc_free(p);
	return status;
}

long proc_fork(struct arch_esf *esf)
{
	struct proc *parent = proc_current();
	struct proc *child = proc_alloc();
	k_spinlock_key_t key;

	if (child == NULL) {
		return -EAGAIN;
	}
	child->vm = vm_space_fork(parent->vm, !parent->fork_eager);
	child->fork_eager = parent->fork_eager;
	if (!parent->sched_reset_on_fork) {
		child->policy = parent->policy;
		child->rt_priority = parent->rt_priority;
	}
	if (child->vm == NULL) {
		proc_free(child);
		return -ENOMEM;
	}
	fd_table_copy(child, parent);
	pgrp_fork(child, parent);
	signal_fork(child, parent);
	strlcpy(child->name, parent->name, sizeof(child->name));
	/* The child's user context: the parent's, returning 0 from the same fork(). */
	*user_esf(child) = *esf;
	arch_esf_set_retval(user_esf(child), 0);
	key = k_spin_lock(&z_sched_lock);
	child->parent = parent;
	sys_dlist_append(&parent->children, &child->sibling);
	k_spin_unlock(&z_sched_lock, key);
	proc_start(child);
	return child->pid;
}

__noreturn void proc_exit(int wait_status)
{
	struct proc *p = proc_current();
	struct vm_space *vm = p->vm;
	k_spinlock_key_t key;
	sys_dnode_t *n;
	sys_dnode_t *s;

	arch_irq_enable_all();
	fd_table_close(p);
	if (vm != NULL) {
		/* Off this space before it goes: the hart must not keep using freed tables. */
		p->thread.vm_token = 0;
		vm_space_activate(NULL);
		key = k_spin_lock(&z_sched_lock);
		p->vm = NULL; /* proc_info() reads it under the lock */
		k_spin_unlock(&z_sched_lock, key);
		vm_space_destroy(vm);
	}
	key = k_spin_lock(&z_sched_lock);
	SYS_DLIST_FOR_EACH_NODE_SAFE(&p->children, n, s) {
		struct proc *c = CONTAINER_OF(n, struct proc, sibling);

		/* Orphans go to init, which reaps them; with init gone, nobody waits. */
		sys_dlist_remove(n);
		c->parent = (p != init_proc) ? init_proc : NULL;
		if (c->parent != NULL) {
			sys_dlist_append(&init_proc->children, &c->sibling);
			if (c->state == PROC_ZOMBIE) {
				z_unpend_all_locked(&init_proc->child_wq);
			}
		}
	}
	tty_exit_locked(p);
	p->wait_status = wait_status;
	p->state = PROC_ZOMBIE;
	if (signal_exit_locked(p, wait_status)) {
		sys_dlist_remove(&p->sibling);
		p->parent = NULL;
		p->sig.autoreap = true;
	}
	k_spin_unlock(&z_sched_lock, key);
	k_thread_abort(&p->thread);
	CODE_UNREACHABLE;
}

long proc_wait(int pid, int *status, int options)
{
	struct proc *p = proc_current();
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	for (;;) {
		bool found = false;
		sys_dnode_t *n;

		SYS_DLIST_FOR_EACH_NODE(&p->children, n) {
			struct proc *c = CONTAINER_OF(n, struct proc, sibling);
			int cpid = c->pid;

			if (!pgrp_wait_matches(p, c, pid)) {
				continue;
			}
			found = true;
			if (c->state != PROC_ZOMBIE) {
				if (signal_wait_report_locked(c, options, status)) {
					k_spin_unlock(&z_sched_lock, key);
					return cpid;
				}
				continue;
			}
			sys_dlist_remove(n);
			*status = c->wait_status;
			k_spin_unlock(&z_sched_lock, key);
			/* Its thread may still be leaving its stack (a join is not interrupted
			 * by a kill: the slot must not go while it is). */
			k_thread_join(&c->thread, K_FOREVER);
			proc_free(c);
			return cpid;
		}
		if (!found) {
			k_spin_unlock(&z_sched_lock, key);
			return -ECHILD;
		}
		if (options & 1 /* WNOHANG */) {
			k_spin_unlock(&z_sched_lock, key);
			return 0;
		}
		if (z_pend_curr_interruptible(&p->child_wq, K_FOREVER, key) == -EINTR) {
			return -EINTR;
		}
		key = k_spin_lock(&z_sched_lock);
	}
}

struct proc *proc_find_locked(int pid)
{
	for (int i = 0; i < CONFIG_MAX_PROCS; i++) {
		if (procs[i].state == PROC_RUNNING && procs[i].pid == pid) {
			return &procs[i];
		}
	}
	return NULL;
}

bool proc_is_init(const struct proc *p)
{
	return p == init_proc;
}

/* sig to one process (pid > 0) or to every process but init and the caller (-1). */
long proc_kill(int pid, int sig)
{
	struct proc *self = proc_current();
	k_spinlock_key_t key;
	long ret = -ESRCH;

	if (sig < 0 || sig >= INOX_NSIG) {
		return -EINVAL;
	}
	key = k_spin_lock(&z_sched_lock);
	for (int i = 0; i < CONFIG_MAX_PROCS; i++) {
		struct proc *t = &procs[i];

		/* A zombie is still there to signal (nothing happens), as on Linux. */
		if ((t->state != PROC_RUNNING && t->state != PROC_ZOMBIE) || t->sig.autoreap ||
		    (pid > 0 ? t->pid != pid : (t == init_proc || t == self))) {
			continue;
		}
		ret = sig != 0 ? proc_signal_locked(t, sig) : 0;
		if (pid > 0) {
			break;
		}
	}
	k_spin_unlock(&z_sched_lock, key);
	return ret;
}

__noreturn void proc_fault_kill(const struct arch_esf *esf, uintptr_t addr, const char *what,
				int sig)
{
	struct proc *p = proc_current();

	printk("pid %d (%s): %s at 0x%lx pc 0x%lx\n", p->pid, p->name, what, addr,
	       arch_esf_pc(esf));
	proc_exit(W_TERMSIG(sig));
}

void user_return(struct arch_esf *esf)
{
	struct proc *p = proc_current();

	if (p != NULL && signal_work(p)) {
		signal_deliver(p, esf);
	}
}

void user_fault(struct arch_esf *esf, enum user_fault fault, uintptr_t addr, const char *what)
{
	static const int signals[] = {
		[USER_FAULT_READ] = SIGSEGV,       [USER_FAULT_WRITE] = SIGSEGV,
		[USER_FAULT_EXEC] = SIGSEGV,       [USER_FAULT_ILLEGAL] = SIGILL,
		[USER_FAULT_BREAKPOINT] = SIGTRAP, [USER_FAULT_MISALIGNED] = SIGBUS,
		[USER_FAULT_OTHER] = SIGSEGV,
	};
	static const int codes[] = {
		[USER_FAULT_ILLEGAL] = ILL_ILLOPC,
		[USER_FAULT_BREAKPOINT] = TRAP_BRKPT,
		[USER_FAULT_MISALIGNED] = BUS_ADRALN,
		[USER_FAULT_OTHER] = SI_KERNEL,
	};
	struct proc *p = proc_current();

	if (fault == USER_FAULT_READ || fault == USER_FAULT_WRITE || fault == USER_FAULT_EXEC) {
		int ret = vm_fault(p->vm, addr,
				   fault == USER_FAULT_WRITE ? VM_WRITE :
				   fault == USER_FAULT_EXEC  ? VM_EXEC :
							       VM_READ);

		if (ret == 0) {
			return;
		}
		if (ret == -ENOMEM) {
			proc_fault_kill(esf, addr, "out of memory resolving a page fault", SIGKILL);
		}
		signal_fault(esf, SIGSEGV, ret == -EACCES ? SEGV_ACCERR : SEGV_MAPERR, addr, what);
		return;
	}
	signal_fault(esf, signals[fault], codes[fault], addr, what);
}

bool user_uaccess_fault(uintptr_t addr, bool write)
{
	struct proc *p = proc_current();

	if (p == NULL || p->vm == NULL || addr >= USER_TOP) {
		return false;
	}
	return vm_fault(p->vm, addr, write ? VM_WRITE : VM_READ) == 0;
}

/* Does the image hold a first program to run instead of main()? */
bool z_proc_have_init(void)
{
	const void *data;
	size_t size;

	return CONFIG_INIT_PROGRAM[0] != '\0' &&
	       initramfs_find(CONFIG_INIT_PROGRAM, &data, &size) == 0;
}

/* -- Scheduling policies ----------------------------------------------------------------- */

BUILD_ASSERT(CONFIG_PROC_PRIORITY >= 1 && CONFIG_PROC_PRIORITY <= K_LOWEST_THREAD_PRIO - 1,
	     "CONFIG_PROC_PRIORITY leaves no room for real-time processes or SCHED_IDLE");

int proc_sched_kernel_prio(int policy, int prio)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		/* Linux's 99 levels onto the PROC_PRIORITY kernel levels above ordinary
		 * processes, in order: 99 is kernel priority 0, 1 is PROC_PRIORITY - 1. */
		return CONFIG_PROC_PRIORITY - 1 -
		       (prio - INOX_SCHED_RT_PRIO_MIN) * CONFIG_PROC_PRIORITY /
			       INOX_SCHED_RT_PRIO_MAX;
	case SCHED_IDLE:
		return CONFIG_PROC_PRIORITY + 1;
	default:
		return CONFIG_PROC_PRIORITY;
	}
}

int proc_sched_check(int policy, int prio)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return prio >= INOX_SCHED_RT_PRIO_MIN && prio <= INOX_SCHED_RT_PRIO_MAX ? 0 :
											  -EINVAL;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
		return prio == 0 ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

long proc_sched_set(int pid, int policy, int prio, bool reset_on_fork)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct proc *p = pid == 0 ? proc_current() : proc_find_locked(pid);
	int kprio;

	if (p == NULL) {
		k_spin_unlock(&z_sched_lock, key);
		return -ESRCH;
	}
	if (policy >= 0) {
		p->policy = policy;
		p->sched_reset_on_fork = reset_on_fork;
	}
	p->rt_priority = prio;
	kprio = proc_sched_kernel_prio(p->policy, p->rt_priority);
	p->thread.no_timeslice = p->policy == SCHED_FIFO;
	p->thread.base_prio = kprio;
	if (p->thread.prio != kprio) {
		z_thread_prio_set_locked(&p->thread, kprio);
	}
	z_reschedule(key);
	return 0;
}

long proc_sched_get(int pid, int *policy, int *prio)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct proc *p = pid == 0 ? proc_current() : proc_find_locked(pid);

	if (p != NULL) {
		*policy = p->policy | (p->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
		*prio = p->rt_priority;
	}
	k_spin_unlock(&z_sched_lock, key);
	return p != NULL ? 0 : -ESRCH;
}
