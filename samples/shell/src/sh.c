/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sh: the interactive shell. Reads a line from the console (the kernel echoes it and handles
 * backspace), splits it into whitespace-separated words, and runs `a | b | c` as one fork and
 * exec of /bin/NAME per stage, joined by pipes. A trailing `&` makes a background job: the
 * shell does not wait for it, reports it when it ends (before a prompt, or in `wait`), and
 * gives its first stage an empty stdin, so that only the shell reads the console.
 *
 * Job control, as real shells do it: each job (a pipeline, all its stages) is a process group
 * of its own, led by its first stage. Both the shell and each child call setpgid(), so that
 * the group exists before either goes on, whichever runs first. A foreground job gets the
 * terminal (tcsetpgrp(), again from both sides), so Ctrl-C, Ctrl-\ and Ctrl-Z at the console
 * signal it and not the shell, which ignores them (and SIGTTIN, SIGTTOU) while its children
 * start with the defaults. The shell takes the terminal back once the job has ended or
 * stopped; a stopped job waits in the job table for fg, bg or kill.
 *
 * Builtins: help, exit [N], jobs, wait, fg [%JOB], bg [%JOB], kill [-SIG] PID|%JOB. They run
 * in the shell itself, so they cannot be part of a pipeline.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_MAX_LEN 256
#define WORDS_MAX    32
#define STAGES_MAX   8
#define JOBS_MAX     8
#define PROMPT       "inox$ "
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* One command line, parsed: the words of each stage, NULL-terminated, in one array. */
struct pipeline {
	char *args[WORDS_MAX + STAGES_MAX];
	char **stage[STAGES_MAX];
	int nstages;
	bool background;
	char text[LINE_MAX_LEN]; /* the words again, for `jobs` */
};

/* A job: the foreground one, or one in the table (background or stopped; id 0 marks a free
 * slot). Its process group is its first stage's pid. */
struct job {
	int id;
	pid_t pids[STAGES_MAX];
	int nprocs;
	int running; /* processes not reaped yet */
	bool stopped; /* by a signal (Ctrl-Z, SIGTTIN, ...), until fg, bg or kill */
	int status; /* wait status of the last stage, as a shell reports it */
	char text[LINE_MAX_LEN];
};

/* The signals an interactive shell ignores and its children take back at their defaults. */
static const int job_signals[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};

static struct job jobs[JOBS_MAX];
/* The shell's own process group, and whether it controls a terminal on fd 0. */
static pid_t shell_pgid;
static bool interactive;

/* The job numbered id, or with id 0 a free slot; NULL if there is none. */
static struct job *job_of_id(int id)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		if (jobs[i].id == id) {
			return &jobs[i];
		}
	}
	return NULL;
}

/*
 * Splits line (modified in place) into p. `|` and `&` are words of their own even without
 * spaces around them. Returns 0 (p->nstages 0 for an empty line), or -1 after printing why
 * the line is not a pipeline.
 */
static int parse(char *line, struct pipeline *p)
{
	/* Operator words point into ops, so a pointer compare tells them from other words. */
	static char ops[] = "|\0&";
	char *words[WORDS_MAX];
	int nwords = 0, nargs = 0;
	char *s = line;

	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			*s++ = '\0';
			continue;
		}
		if (nwords == WORDS_MAX) {
			printf("sh: more than %d words\n", WORDS_MAX);
			return -1;
		}
		if (*s == '|' || *s == '&') {
			words[nwords++] = *s == '|' ? &ops[0] : &ops[2];
			*s++ = '\0';
			continue;
		}
		words[nwords++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n' && *s != '|' &&
		       *s != '&') {
			s++;
		}
	}

	p->nstages = 0;
	p->background = false;
	p->text[0] = '\0';
	if (nwords > 0 && words[nwords - 1] == &ops[2]) {
		p->background = true;
		nwords--;
	}
	if (nwords == 0) {
		if (p->background) {
			printf("sh: syntax error: '&' alone\n");
			return -1;
		}
		return 0;
	}
	for (int i = 0; i < nwords; i++) {
		bool is_pipe = words[i] == &ops[0];

		if (words[i] == &ops[2]) {
			printf("sh: syntax error: '&' must end the line\n");
			return -1;
		}
		if (i == 0 || words[i - 1] == &ops[0]) {
			if (is_pipe) {
				printf("sh: syntax error: empty command before '|'\n");
				return -1;
			}
			if (p->nstages == STAGES_MAX) {
				printf("sh: more than %d commands in a pipeline\n", STAGES_MAX);
				return -1;
			}
			p->stage[p->nstages++] = &p->args[nargs];
		}
		p->args[nargs++] = is_pipe ? NULL : words[i];
		if (i > 0) {
			strlcat(p->text, " ", sizeof(p->text));
		}
		strlcat(p->text, words[i], sizeof(p->text));
	}
	if (words[nwords - 1] == &ops[0]) {
		printf("sh: syntax error: empty command after '|'\n");
		return -1;
	}
	p->args[nargs] = NULL;
	return 0;
}

/* In a forked child: runs argv[0] from /bin (or a path with a '/'). Never returns. */
static void exec_program(char **argv)
{
	char path[64];

	if (strchr(argv[0], '/') != NULL) {
		strlcpy(path, argv[0], sizeof(path));
	} else {
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	}
	execv(path, argv);
	fprintf(stderr, "sh: %s: %s\n", argv[0], errno == ENOENT ? "not found" : strerror(errno));
	fflush(stderr);
	_exit(127);
}

/*
 * Puts pid in the job's group pgid (0: a new one, led by pid) and, for a foreground job of an
 * interactive shell, gives that group the terminal. Called by the shell and by the child
 * alike; either may lose the race to the other, or find the child already exec'd (EACCES),
 * and that is fine.
 */
static void join_job(pid_t pid, pid_t pgid, bool foreground)
{
	setpgid(pid, pgid);
	if (interactive && foreground) {
		/* A new group's id is its leader's pid; pid 0 is the caller, the child. */
		tcsetpgrp(0, pgid != 0 ? pgid : pid != 0 ? pid : getpid());
	}
}

/* Sends sig to the job's group, and SIGCONT after it, so that a stopped job takes it now
 * (as bash's kill does). */
static void signal_job(struct job *job, int sig)
{
	kill(-job->pids[0], sig);
	if (sig != SIGKILL && sig != SIGCONT) {
		kill(-job->pids[0], SIGCONT);
	}
	job->stopped = false;
}

/*
 * Starts every stage of p, each with its stdout piped to the next one's stdin; in is the
 * first stage's stdin (-1: the shell's own), closed here. All of them form one process group,
 * which gets the terminal unless p runs in the background. Fills pids and returns how many
 * processes started: fewer than p->nstages if a pipe or fork failed (said on the console),
 * and the ones started then see EOF or EPIPE and end by themselves.
 */
static int start_pipeline(struct pipeline *p, int in, pid_t *pids)
{
	int started = 0;
	pid_t pgid = 0;

	for (int i = 0; i < p->nstages; i++) {
		int fds[2] = {-1, -1};
		pid_t pid;

		if (i < p->nstages - 1 && pipe(fds) != 0) {
			perror("sh: pipe");
			break;
		}
		fflush(stdout); /* or the child would inherit, and print, what is buffered */
		pid = fork();
		if (pid == 0) {
			join_job(0, pgid, !p->background);
			for (size_t k = 0; interactive && k < ARRAY_LEN(job_signals); k++) {
				signal(job_signals[k], SIG_DFL);
			}
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (fds[1] >= 0) {
				dup2(fds[1], 1);
				close(fds[1]);
				close(fds[0]);
			}
			exec_program(p->stage[i]);
		}
		if (in >= 0) {
			close(in);
		}
		if (fds[1] >= 0) {
			close(fds[1]);
		}
		in = fds[0];
		if (pid < 0) {
			perror("sh: fork");
			break;
		}
		join_job(pid, pgid, !p->background);
		if (pgid == 0) {
			pgid = pid;
		}
		pids[started++] = pid;
	}
	if (in >= 0) {
		close(in);
	}
	return started;
}

/* What a wait status says, as `[1] <this>: cmd` or after a foreground command. */
static const char *describe(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status)) {
		snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
	} else if (WEXITSTATUS(status) != 0) {
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	} else {
		strlcpy(buf, "done", size);
	}
	return buf;
}

/* A free slot of the job table with the lowest free number, or NULL (said). */
static struct job *job_new(void)
{
	for (int id = 1; id <= JOBS_MAX; id++) {
		if (job_of_id(id) == NULL) {
			struct job *job = job_of_id(0);

			job->id = id;
			return job;
		}
	}
	printf("sh: %d jobs already\n", JOBS_MAX);
	return NULL;
}

/*
 * Waits for the foreground job (it holds the terminal) to end or stop, then takes the
 * terminal back. A job that Ctrl-C ended gets a newline after the ^C echo, as in bash; other
 * signals are said. A stopped job goes to the table (job is the table's slot, or the caller's
 * for a new job) and is reported; an ended one leaves it.
 */
static void wait_foreground(struct job *job)
{
	bool interrupted = false;
	char what[32];
	int status;

	while (job->running > 0 && !job->stopped) {
		pid_t pid = waitpid(-job->pids[0], &status, WUNTRACED);

		if (pid < 0 && errno == EINTR) {
			continue;
		}
		if (pid < 0) {
			perror("sh: waitpid");
			break;
		}
		if (WIFSTOPPED(status)) {
			job->stopped = true;
			break;
		}
		job->running--;
		if (pid == job->pids[job->nprocs - 1]) {
			job->status = status;
		}
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) {
			interrupted = true;
		} else if (WIFSIGNALED(status)) {
			printf("sh: %s: %s\n", job->text, describe(status, what, sizeof(what)));
		}
	}
	if (interactive) {
		tcsetpgrp(0, shell_pgid);
	}
	if (job->stopped) {
		struct job *slot = job->id != 0 ? job : job_new();

		if (slot == NULL) {
			signal_job(job, SIGKILL);
			return;
		}
		if (slot != job) {
			int id = slot->id;

			*slot = *job;
			slot->id = id;
		}
		printf("\n[%d] stopped: %s\n", slot->id, slot->text);
		return;
	}
	if (interrupted) {
		printf("\n");
	}
	job->id = 0;
}

/* Runs p in the foreground: returns once it has ended or stopped. */
static void run_foreground(struct pipeline *p)
{
	struct job job = {0};

	job.nprocs = start_pipeline(p, -1, job.pids);
	job.running = job.nprocs;
	strlcpy(job.text, p->text, sizeof(job.text));
	if (job.nprocs > 0) {
		wait_foreground(&job);
	}
}

/* Starts p as a background job whose stdin is an empty pipe; prints `[id] pid`. */
static void run_background(struct pipeline *p)
{
	struct job *job = job_new();
	int fds[2];

	if (job == NULL) {
		return;
	}
	if (pipe(fds) != 0) {
		perror("sh: pipe");
		job->id = 0;
		return;
	}
	close(fds[1]);
	job->nprocs = start_pipeline(p, fds[0], job->pids);
	job->running = job->nprocs;
	job->stopped = false;
	job->status = 0;
	strlcpy(job->text, p->text, sizeof(job->text));
	if (job->nprocs == 0) {
		job->id = 0;
		return;
	}
	printf("[%d] %d\n", job->id, (int)job->pids[job->nprocs - 1]);
}

static struct job *job_of_pid(pid_t pid)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		for (int k = 0; jobs[i].id != 0 && k < jobs[i].nprocs; k++) {
			if (jobs[i].pids[k] == pid) {
				return &jobs[i];
			}
		}
	}
	return NULL;
}

/* Jobs that may still end by themselves: running, not stopped. */
static int jobs_running(void)
{
	int n = 0;

	for (int i = 0; i < JOBS_MAX; i++) {
		n += jobs[i].id != 0 && jobs[i].running > 0 && !jobs[i].stopped;
	}
	return n;
}

/* Records that pid ended with status (a job's status is its last stage's), or stopped. */
static void job_reaped(pid_t pid, int status)
{
	struct job *job = job_of_pid(pid);

	if (job == NULL) {
		return;
	}
	if (WIFSTOPPED(status)) {
		if (!job->stopped) {
			job->stopped = true;
			printf("[%d] stopped: %s\n", job->id, job->text);
		}
		return;
	}
	job->running--;
	if (pid == job->pids[job->nprocs - 1]) {
		job->status = status;
	}
}

/* Reports the jobs that have ended, in job order, and frees their slots. */
static void report_done_jobs(void)
{
	char what[32];

	for (int i = 0; i < JOBS_MAX; i++) {
		if (jobs[i].id != 0 && jobs[i].running == 0) {
			printf("[%d] %s: %s\n", jobs[i].id,
			       describe(jobs[i].status, what, sizeof(what)), jobs[i].text);
			jobs[i].id = 0;
		}
	}
}

/* Reaps background processes: the ended (or stopped) ones only, or (block) until every job
 * has ended or stopped. */
static void reap_jobs(bool block)
{
	int status;
	pid_t pid;

	while (!block || jobs_running() > 0) {
		pid = waitpid(-1, &status, WUNTRACED | (block ? 0 : WNOHANG));
		if (pid < 0 && errno == EINTR) {
			continue;
		}
		if (pid <= 0) {
			break;
		}
		job_reaped(pid, status);
	}
	report_done_jobs();
}

static void builtin_jobs(void)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		if (jobs[i].id == 0) {
			continue;
		}
		printf("[%d] %s: %s (pid%s", jobs[i].id, jobs[i].stopped ? "stopped" : "running",
		       jobs[i].text, jobs[i].nprocs > 1 ? "s" : "");
		for (int k = 0; k < jobs[i].nprocs; k++) {
			printf(" %d", (int)jobs[i].pids[k]);
		}
		printf(")\n");
	}
}

/* Parses a signal argument: -N or -NAME for HUP, INT, QUIT, KILL, TERM. Returns the
 * number, or 0. */
static int parse_signal(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} names[] = {
		{"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT},
		{"KILL", SIGKILL}, {"TERM", SIGTERM},
	};
	char *end;
	long n = strtol(s + 1, &end, 10);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s + 1, names[i].name) == 0 || (*end == '\0' && n == names[i].sig)) {
			return names[i].sig;
		}
	}
	return 0;
}

/* kill [-SIG] PID|%JOB...: signals processes, or every process of a job (its group). */
static void builtin_kill(char **argv)
{
	int sig = SIGTERM;
	int i = 1;

	if (argv[1] != NULL && argv[1][0] == '-') {
		sig = parse_signal(argv[1]);
		i++;
	}
	if (sig == 0 || argv[i] == NULL) {
		printf("usage: kill [-HUP|-INT|-QUIT|-KILL|-TERM|-N] PID|%%JOB...\n");
		return;
	}
	for (; argv[i] != NULL; i++) {
		char *end;
		long n = strtol(argv[i] + (argv[i][0] == '%'), &end, 10);
		struct job *job;

		if (*end != '\0' || n <= 0) {
			printf("sh: kill: %s: not a pid or %%job\n", argv[i]);
			continue;
		}
		if (argv[i][0] != '%') {
			if (kill(n, sig) != 0) {
				printf("sh: kill: %ld: %s\n", n, strerror(errno));
			}
			continue;
		}
		job = job_of_id(n);
		if (job == NULL) {
			printf("sh: kill: %s: no such job\n", argv[i]);
			continue;
		}
		/* The job's group, led by its first stage; some may have ended already (not
		 * reaped yet, or gone): not an error. */
		signal_job(job, sig);
	}
}

/* The job a fg or bg argument names (%N, or none: the highest-numbered), or NULL (said). */
static struct job *job_of_arg(const char *name, const char *arg)
{
	struct job *job = NULL;

	if (arg == NULL) {
		for (int i = 0; i < JOBS_MAX; i++) {
			if (jobs[i].id != 0 && (job == NULL || jobs[i].id > job->id)) {
				job = &jobs[i];
			}
		}
	} else if (arg[0] == '%') {
		job = job_of_id(atoi(arg + 1));
	}
	if (job == NULL || job->id == 0) {
		printf("sh: %s: %s: no such job\n", name, arg != NULL ? arg : "current");
		return NULL;
	}
	return job;
}

/* fg [%JOB]: the job gets the terminal, and SIGCONT if it was stopped; waits for it. */
static void builtin_fg(char **argv)
{
	struct job *job = job_of_arg("fg", argv[1]);

	if (job == NULL) {
		return;
	}
	/* The terminal first: once the line shows, Ctrl-C reaches the job. */
	if (interactive) {
		tcsetpgrp(0, job->pids[0]);
	}
	printf("%s\n", job->text);
	fflush(stdout);
	if (job->stopped) {
		signal_job(job, SIGCONT);
	}
	wait_foreground(job);
}

/* bg [%JOB]: a stopped job goes on in the background. */
static void builtin_bg(char **argv)
{
	struct job *job = job_of_arg("bg", argv[1]);

	if (job == NULL) {
		return;
	}
	if (job->stopped) {
		signal_job(job, SIGCONT);
	}
	printf("[%d] %s &\n", job->id, job->text);
}

static void builtin_help(void)
{
	printf("Words are separated by spaces; no quotes, variables or redirections.\n"
	       "  CMD ARGS | CMD ARGS ...   a pipeline: each CMD is /bin/CMD, forked and exec'd\n"
	       "  ... &                     run it in the background as a job\n"
	       "Builtins:\n"
	       "  jobs                      list the background jobs\n"
	       "  wait                      wait for every background job, report how they ended\n"
	       "  fg [%%JOB]                 bring a job to the foreground, continuing it\n"
	       "  bg [%%JOB]                 continue a stopped job in the background\n"
	       "  kill [-SIG] PID|%%JOB      signal a process or a job's group (default TERM)\n"
	       "  exit [N]                  leave the shell (and power off when it is init)\n"
	       "  help                      this text\n"
	       "Programs: echo ARGS, cat, upper, wc, seq [FIRST] LAST, sleep SECONDS, ps, memstat\n");
}

/* Ends the shell: jobs get SIGTERM (and SIGCONT) and are reported first. */
static void builtin_exit(char **argv)
{
	int status = argv[1] != NULL ? atoi(argv[1]) : 0;

	for (int i = 0; i < JOBS_MAX; i++) {
		if (jobs[i].id != 0) {
			signal_job(&jobs[i], SIGTERM);
		}
	}
	reap_jobs(true);
	exit(status);
}

/* Runs p's single stage if it names a builtin. Returns false if it does not. */
static bool run_builtin(struct pipeline *p)
{
	char **argv = p->stage[0];
	const char *name = argv[0];

	if (strcmp(name, "help") != 0 && strcmp(name, "exit") != 0 && strcmp(name, "jobs") != 0 &&
	    strcmp(name, "wait") != 0 && strcmp(name, "kill") != 0 && strcmp(name, "fg") != 0 &&
	    strcmp(name, "bg") != 0) {
		return false;
	}
	if (p->nstages > 1 || p->background) {
		printf("sh: %s: a builtin runs alone, not in a pipeline or the background\n", name);
	} else if (strcmp(name, "help") == 0) {
		builtin_help();
	} else if (strcmp(name, "exit") == 0) {
		builtin_exit(argv);
	} else if (strcmp(name, "jobs") == 0) {
		builtin_jobs();
	} else if (strcmp(name, "wait") == 0) {
		reap_jobs(true);
	} else if (strcmp(name, "fg") == 0) {
		builtin_fg(argv);
	} else if (strcmp(name, "bg") == 0) {
		builtin_bg(argv);
	} else {
		builtin_kill(argv);
	}
	return true;
}

/*
 * Reads one line into buf. Returns its length, 0 at the end of input (Ctrl-D on an empty
 * line), or -1 for a line too long for buf, which is skipped.
 */
static int read_line(char *buf, size_t size)
{
	bool too_long = false;
	ssize_t n;

	for (;;) {
		n = read(0, buf, size - 1);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return too_long ? -1 : 0;
		}
		if (buf[n - 1] == '\n') {
			break;
		}
		too_long = true;
	}
	if (too_long) {
		printf("sh: line longer than %d characters, skipped\n", (int)size - 1);
		return -1;
	}
	buf[n] = '\0';
	return n;
}

int main(void)
{
	static struct pipeline p;
	char line[LINE_MAX_LEN];

	/* Lead a process group of our own and hold the terminal (as init we already do: a
	 * session leader cannot change its group, hence no check of setpgid()). */
	interactive = isatty(0);
	if (interactive) {
		for (size_t k = 0; k < ARRAY_LEN(job_signals); k++) {
			signal(job_signals[k], SIG_IGN);
		}
		setpgid(0, 0);
		shell_pgid = getpgrp();
		tcsetpgrp(0, shell_pgid);
	}
	printf("Inox shell, pid %d. Type help for the commands.\n", (int)getpid());
	for (;;) {
		int n;

		reap_jobs(false);
		fputs(PROMPT, stdout);
		fflush(stdout);
		n = read_line(line, sizeof(line));
		if (n == 0) {
			printf("exit\n");
			builtin_exit((char *[]){"exit", NULL});
		}
		if (n < 0 || parse(line, &p) != 0 || p.nstages == 0 || run_builtin(&p)) {
			continue;
		}
		if (p.background) {
			run_background(&p);
		} else {
			run_foreground(&p);
		}
	}
}
