/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console as a terminal: Linux's line discipline in small, and job control.
 *
 * The console is the controlling terminal of one session (init's, from boot) and has a
 * foreground process group. Its receive interrupt hands each byte to tty_input() first: with
 * ISIG, Ctrl-C, Ctrl-\ and Ctrl-Z send SIGINT, SIGQUIT and SIGTSTP to the foreground group,
 * echo as ^C, ^\ and ^Z, and (unless NOFLSH) drop what was typed before them and not read
 * yet, the line being edited included: the buffered input is emptied, and the character
 * stays in it as a mark that makes a reader forget what it has, so the bytes a reader had
 * already taken before the cut go too. A read edits a line (ICANON: erase, Ctrl-D for end of file, a read
 * returns at the end of the line) or takes bytes as they come (raw), and echoes (ECHO). A
 * process of the terminal's session that reads it from a background group gets SIGTTIN, or
 * EIO when its group is orphaned. ioctl() gets and sets the termios, the foreground group
 * and the session. Locking: the terminal's state is guarded by z_sched_lock, which the
 * signals it sends need anyway; the interrupt takes it too.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/console.h>
#include <inox/uaccess.h>
#include <inox/proc/file.h>
#include <inox/proc/proc.h>
#include <inox/uapi/termios.h>
#include "ksched.h"

#define CHUNK 256

#define CTRL(c) ((c)&0x1f)

static struct {
	int sid; /* the session it controls, 0: none */
	int pgrp; /* its foreground process group */
	struct termios termios;
} tty = {
	.termios =
		{
			.c_iflag = ICRNL,
			.c_oflag = OPOST | ONLCR,
			.c_cflag = B115200 | CS8 | CREAD | CLOCAL,
			.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOCTL | ECHOKE | IEXTEN,
			.c_cc =
				{
					[VINTR] = CTRL('C'),
					[VQUIT] = CTRL('\\'),
					[VERASE] = 0x7f,
					[VKILL] = CTRL('U'),
					[VEOF] = CTRL('D'),
					[VMIN] = 1,
					[VSUSP] = CTRL('Z'),
				},
		},
};

/* Whether the console is p's controlling terminal. Expects z_sched_lock. */
static bool is_ctty_locked(const struct proc *p)
{
	return tty.sid != 0 && p->sid == tty.sid && !p->no_ctty;
}

/* The signal c sends under t (0: none; a c_cc entry of 0 is disabled, as on Linux). */
static int signal_of(const struct termios *t, int c)
{
	if (!(t->c_lflag & ISIG) || c == 0) {
		return 0;
	}
	return c == t->c_cc[VINTR] ? SIGINT :
	       c == t->c_cc[VQUIT] ? SIGQUIT :
	       c == t->c_cc[VSUSP] ? SIGTSTP :
				     0;
}

/*
 * The receive interrupt's filter: the signal characters under ISIG. Returns true when it
 * took c (a signal character under NOFLSH, which then reaches no reader); a signal character
 * otherwise empties the input and stays in it as the mark of that flush.
 */
static bool tty_input(unsigned char c)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	const struct termios *t = &tty.termios;
	bool noflsh = (t->c_lflag & NOFLSH) != 0;
	bool echo = (t->c_lflag & ECHO) != 0;
	int sig = signal_of(t, c);

	k_spin_unlock(&z_sched_lock, key);
	if (sig == 0) {
		return false;
	}
	if (!noflsh) {
		console_input_flush();
	}
	/* The echo first: what the signalled job's end makes its shell print comes after it. */
	if (echo) {
		char e[2] = {'^', (char)(c + '@')};

		console_write(e, sizeof(e)); /* polled: we are in the interrupt */
	}
	key = k_spin_lock(&z_sched_lock);
	if (tty.pgrp != 0) {
		pgrp_signal_locked(tty.pgrp, sig);
	}
	k_spin_unlock(&z_sched_lock, key);
	return noflsh;
}

void tty_attach_init(struct proc *init)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	init->pgid = init->pid;
	init->sid = init->pid;
	tty.sid = init->sid;
	tty.pgrp = init->pgid;
	k_spin_unlock(&z_sched_lock, key);
	console_set_input_filter(tty_input);
}

void tty_exit_locked(struct proc *p)
{
	/* A controlling process's exit hangs the terminal up: its foreground group gets SIGHUP
	 * and the session loses the terminal (Linux's disassociate_ctty()). */
	if (p->pid == p->sid && tty.sid == p->sid) {
		if (tty.pgrp != 0) {
			pgrp_signal_locked(tty.pgrp, SIGHUP);
		}
		tty.sid = 0;
		tty.pgrp = 0;
	}
}

/* Whether p ignores or blocks sig (Linux's is_ignored()). Expects z_sched_lock. */
static bool ignores_locked(const struct proc *p, int sig)
{
	return p->sig.action[sig].handler == INOX_SIG_IGN || (p->sig.blocked & SIG_BIT(sig));
}

/*
 * Job control (Linux's __tty_check_change()): 0 when p may go on, because the console is not
 * its controlling terminal or its group is in the foreground. Otherwise, if p ignores or
 * blocks sig, a read fails with -EIO and a change goes ahead (0); if its group is orphaned,
 * -EIO; else its group gets sig (SIGTTIN, SIGTTOU), which stops it, and the call -EINTR: a
 * read starts again once the group is continued. Expects z_sched_lock.
 */
static long tty_check_locked(struct proc *p, int sig)
{
	if (!is_ctty_locked(p) || p->pgid == tty.pgrp) {
		return 0;
	}
	if (ignores_locked(p, sig)) {
		return sig == SIGTTIN ? -EIO : 0;
	}
	if (pgrp_orphaned_locked(p->pgid)) {
		return -EIO;
	}
	pgrp_signal_locked(p->pgid, sig);
	return -EINTR;
}

static long tty_check_read(struct proc *p)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	long ret = tty_check_locked(p, SIGTTIN);

	k_spin_unlock(&z_sched_lock, key);
	return ret;
}

static long tty_read(struct file *f, char *ubuf, size_t n)
{
	struct proc *p = proc_current();
	char line[CHUNK];
	size_t len = 0;
	k_spinlock_key_t key;
	struct termios t;
	long ret = tty_check_read(p);

	if (ret != 0 || n == 0) {
		return ret;
	}
	while (len < MIN(n, sizeof(line))) {
		bool canon;
		int c;

		key = k_spin_lock(&z_sched_lock);
		canon = (tty.termios.c_lflag & ICANON) != 0;
		k_spin_unlock(&z_sched_lock, key);
		/* Raw: whatever has come, once there is something. */
		c = console_getchar(!canon && len > 0 ? K_NO_WAIT : K_FOREVER);
		if (c < 0) {
			if (len > 0) {
				break;
			}
			return c;
		}
		key = k_spin_lock(&z_sched_lock);
		t = tty.termios;
		k_spin_unlock(&z_sched_lock, key);
		if (signal_of(&t, c) != 0) {
			len = 0; /* the mark of a Ctrl-C: what we had was typed before it */
			continue;
		}
		if (c == '\r' && (t.c_iflag & ICRNL)) {
			c = '\n';
		}
		if (t.c_lflag & ICANON) {
			if (c == t.c_cc[VERASE] || c == '\b') {
				if (len > 0) {
					len--;
					if (t.c_lflag & ECHO) {
						console_write("\b \b", 3);
					}
				}
				continue;
			}
			if (c == t.c_cc[VEOF]) {
				break; /* on an empty line, end of file: read() returns 0 */
			}
		}
		line[len++] = (char)c;
		if (t.c_lflag & ECHO) {
			console_write(&line[len - 1], 1);
		}
		if ((t.c_lflag & ICANON) && c == '\n') {
			break;
		}
	}
	return copy_to_user(ubuf, line, len) == 0 ? (long)len : -EFAULT;
}

/* Returns n, or what was written before a bad address (-EFAULT) or a kill (-EINTR). */
static long tty_write(struct file *f, const char *ubuf, size_t n)
{
	char buf[CHUNK];
	size_t done = 0;

	while (done < n) {
		size_t k = MIN(n - done, sizeof(buf));
		long put;

		if (copy_from_user(buf, ubuf + done, k) != 0) {
			return done > 0 ? (long)done : -EFAULT;
		}
		put = console_write(buf, k);
		if (put < 0) {
			return done > 0 ? (long)done : put;
		}
		done += put;
		if ((size_t)put < k) {
			break;
		}
	}
	return done;
}

/* TIOCSPGRP: pgrp must be a group of the caller's session, whose terminal this is; from
 * the background, as Linux, SIGTTOU first, and -ENOTTY for an orphaned group. */
static long tty_set_pgrp_locked(struct proc *p, int pgrp)
{
	long ret = tty_check_locked(p, SIGTTOU);

	if (ret != 0) {
		return ret == -EIO ? -ENOTTY : ret;
	}
	if (!is_ctty_locked(p)) {
		return -ENOTTY;
	}
	if (pgrp < 0) {
		return -EINVAL;
	}
	if (!pgrp_exists_locked(pgrp, 0)) {
		return -ESRCH;
	}
	if (!pgrp_exists_locked(pgrp, p->sid)) {
		return -EPERM;
	}
	tty.pgrp = pgrp;
	return 0;
}

/* TIOCSCTTY: a session leader without a terminal takes the console, if no session has it. */
static long tty_set_ctty_locked(struct proc *p)
{
	if (is_ctty_locked(p)) {
		return 0;
	}
	if (p->sid != p->pid || tty.sid != 0) {
		return -EPERM;
	}
	tty.sid = p->sid;
	tty.pgrp = p->pgid;
	p->no_ctty = false;
	return 0;
}

/* TIOCNOTTY: the caller gives the terminal up; from its session leader, the whole session
 * does, and the foreground group is hung up. */
static long tty_drop_ctty_locked(struct proc *p)
{
	if (!is_ctty_locked(p)) {
		return -ENOTTY;
	}
	if (p->pid == p->sid) {
		tty_exit_locked(p);
	} else {
		p->no_ctty = true;
	}
	return 0;
}

/*
 * ioctl() on the console. Setting the termios or the foreground group from a background
 * group of the console's session sends SIGTTOU unless the caller ignores or blocks it
 * (tty_check_locked()).
 */
static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct proc *p = proc_current();
	struct termios t;
	k_spinlock_key_t key;
	long ret = 0;
	int id;

	switch (cmd) {
	case TCGETS:
		key = k_spin_lock(&z_sched_lock);
		t = tty.termios;
		k_spin_unlock(&z_sched_lock, key);
		return copy_to_user((void *)arg, &t, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copy_from_user(&t, (const void *)arg, sizeof(t)) != 0) {
			return -EFAULT;
		}
		key = k_spin_lock(&z_sched_lock);
		ret = tty_check_locked(p, SIGTTOU);
		if (ret == 0) {
			tty.termios = t;
		}
		k_spin_unlock(&z_sched_lock, key);
		if (ret != 0) {
			return ret;
		}
		if (cmd == TCSETSF) {
			console_input_flush();
		}
		return 0;
	case TIOCGPGRP:
	case TIOCGSID:
		key = k_spin_lock(&z_sched_lock);
		ret = is_ctty_locked(p) ? 0 : -ENOTTY;
		id = cmd == TIOCGPGRP ? tty.pgrp : tty.sid;
		k_spin_unlock(&z_sched_lock, key);
		return ret != 0 ? ret : copy_to_user((void *)arg, &id, sizeof(id));
	case TIOCSPGRP:
		if (copy_from_user(&id, (const void *)arg, sizeof(id)) != 0) {
			return -EFAULT;
		}
		key = k_spin_lock(&z_sched_lock);
		ret = tty_set_pgrp_locked(p, id);
		k_spin_unlock(&z_sched_lock, key);
		return ret;
	case TIOCSCTTY:
		key = k_spin_lock(&z_sched_lock);
		ret = tty_set_ctty_locked(p);
		k_spin_unlock(&z_sched_lock, key);
		return ret;
	case TIOCNOTTY:
		key = k_spin_lock(&z_sched_lock);
		ret = tty_drop_ctty_locked(p);
		k_spin_unlock(&z_sched_lock, key);
		return ret;
	default:
		return -ENOTTY;
	}
}

const struct file_ops tty_file_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
};
