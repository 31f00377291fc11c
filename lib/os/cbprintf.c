/* SPDX-License-Identifier: Apache-2.0 */
/* A small printf formatter for the kernel: no floating point, no allocation. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <inox/sys/cbprintf.h>

struct spec {
	bool left;
	bool zero;
	int width;
	int length; /* 0: int, 1: long, 2: long long, -1: short, -2: char */
};

static int emit_padded(cbprintf_cb out, void *ctx, const char *s, int len, const char *prefix,
		       const struct spec *sp)
{
	int plen = 0;
	int n = 0;
	int pad;

	while (prefix[plen] != '\0') {
		plen++;
	}
	pad = sp->width > len + plen ? sp->width - len - plen : 0;
	if (!sp->left && !sp->zero) {
		for (; pad > 0; pad--, n++) {
			out(' ', ctx);
		}
	}
	for (int i = 0; i < plen; i++, n++) {
		out(prefix[i], ctx);
	}
	if (!sp->left && sp->zero) {
		for (; pad > 0; pad--, n++) {
			out('0', ctx);
		}
	}
	for (int i = 0; i < len; i++, n++) {
		out(s[i], ctx);
	}
	for (; pad > 0; pad--, n++) {
		out(' ', ctx);
	}
	return n;
}

static int emit_number(cbprintf_cb out, void *ctx, unsigned long long v, unsigned int base,
		       bool upper, const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);

	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v != 0);
	return emit_padded(out, ctx, &buf[i], sizeof(buf) - i, prefix, sp);
}

int cbvprintf(cbprintf_cb out, void *ctx, const char *fmt, va_list ap)
{
	int n = 0;

	for (; *fmt != '\0'; fmt++) {
		struct spec sp = {0};
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			out(*fmt, ctx);
			n++;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-') {
				sp.left = true;
			} else if (*fmt == '0') {
				sp.zero = true;
			} else {
				break;
			}
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9') {
			sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l') {
				sp.length++;
			} else if (*fmt == 'h') {
				sp.length--;
			} else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
				sp.length = 2;
			} else {
				break;
			}
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			s = sp.length >= 1 ?
				    (sp.length == 1 ? va_arg(ap, long) : va_arg(ap, long long)) :
				    va_arg(ap, int);
			if (sp.length == -1) {
				s = (short)s;
			} else if (sp.length <= -2) {
				s = (signed char)s;
			}
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			n += emit_number(out, ctx, u, 10, false, s < 0 ? "-" : "", &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = sp.length >= 1 ? (sp.length == 1 ? va_arg(ap, unsigned long) :
							       va_arg(ap, unsigned long long)) :
					     va_arg(ap, unsigned int);
			if (sp.length == -1) {
				u = (unsigned short)u;
			} else if (sp.length <= -2) {
				u = (unsigned char)u;
			}
			n += emit_number(out, ctx, u, *fmt == 'u' ? 10 : (*fmt == 'o' ? 8 : 16),
					 *fmt == 'X', "", &sp);
			break;
		case 'p':
			n += emit_number(out, ctx, (uintptr_t)va_arg(ap, void *), 16, false, "0x",
					 &sp);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;

			if (str == NULL) {
				str = "(null)";
			}
			while (str[len] != '\0') {
				len++;
			}
			n += emit_padded(out, ctx, str, len, "", &sp);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			n += emit_padded(out, ctx, &c, 1, "", &sp);
			break;
		}
		case '%':
			out('%', ctx);
			n++;
			break;
		case '\0':
			return n;
		default:
			out('%', ctx);
			out(*fmt, ctx);
			n += 2;
			break;
		}
	}
	return n;
}
