/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console's terminal interface, Linux's (asm-generic/termbits.h and ioctls.h, which
 * riscv64 uses): the ioctl numbers and struct termios as TCGETS and TCSETS copy it, so that
 * tcgetattr(), tcsetpgrp() and isatty() built on them mean what they mean on Linux.
 */
#ifndef INOX_UAPI_TERMIOS_H_
#define INOX_UAPI_TERMIOS_H_

/* ioctl() requests. */
#define TCGETS    0x5401
#define TCSETS    0x5402
#define TCSETSW   0x5403
#define TCSETSF   0x5404
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCNOTTY 0x5422
#define TIOCGSID  0x5429

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 19

/* The kernel's struct termios (36 bytes): no separate speed fields, the baud is in c_cflag. */
struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
};

/* c_cc indices. */
#define VINTR    0
#define VQUIT    1
#define VERASE   2
#define VKILL    3
#define VEOF     4
#define VTIME    5
#define VMIN     6
#define VSWTC    7
#define VSTART   8
#define VSTOP    9
#define VSUSP    10
#define VEOL     11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE  14
#define VLNEXT   15
#define VEOL2    16

/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define IGNPAR 0000004
#define PARMRK 0000010
#define INPCK  0000020
#define ISTRIP 0000040
#define INLCR  0000100
#define IGNCR  0000200
#define ICRNL  0000400
#define IXON   0002000
#define IXOFF  0010000

/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004

/* c_cflag */
#define B38400  0000017
#define CSIZE   0000060
#define CS8     0000060
#define CREAD   0000200
#define HUPCL   0002000
#define CLOCAL  0004000
#define B115200 0010002

/* c_lflag */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000

/* tcsetattr() actions (what picks TCSETS, TCSETSW or TCSETSF). */
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

#endif /* INOX_UAPI_TERMIOS_H_ */
