/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RISC-V PLIC. Its contexts are the entries of the devicetree's interrupts-extended, in
 * order; the S-mode ones (cell 9, the supervisor external interrupt) are ours, each
 * belonging to the hart of the cpu whose interrupt controller it names. Sources are
 * routed to the boot hart; every hart's context gets threshold 0.
 */
#define DT_DRV_COMPAT sifive_plic_1_0_0

#include <stdint.h>
#include <inox/kernel.h>
#include <inox/device.h>
#include <inox/irq.h>
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/cpu.h>
#include <inox/arch/mmu.h>

#define PLIC_NODE DT_DRV_INST(0)
#define NDEV      DT_PROP(PLIC_NODE, riscv_ndev)
#define S_EXT_IRQ 9

#define PRIORITY(irq)    (4 * (irq))
#define ENABLE(ctx, irq) (0x2000 + 0x80 * (ctx) + 4 * ((irq) / 32))
#define THRESHOLD(ctx)   (0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx)       (0x200004 + 0x1000 * (ctx))

/* The hart of context i if it is an S-mode context, else -1. */
#define CTX_HART(i)                                                                                \
	COND_CODE_1(DT_IRQ_HAS_IDX(PLIC_NODE, i),                                                  \
		    ((DT_IRQ_BY_IDX(PLIC_NODE, i, irq) == S_EXT_IRQ ?                              \
			      (long)DT_REG_ADDR(DT_PARENT(DT_IRQ_INTC_BY_IDX(PLIC_NODE, i))) :     \
			      -1L), ),                                                             \
		    ())

static const long ctx_hart[] = {CTX_HART(0) CTX_HART(1) CTX_HART(2) CTX_HART(3) CTX_HART(4)
					CTX_HART(5) CTX_HART(6) CTX_HART(7) CTX_HART(8) CTX_HART(9)
						CTX_HART(10) CTX_HART(11) CTX_HART(12) CTX_HART(13)
							CTX_HART(14) CTX_HART(15)};

struct handler {
	irq_handler_t fn;
	const void *arg;
};

static volatile uint8_t *base;
static struct handler handlers[NDEV + 1];
static int boot_ctx = -1;

static volatile uint32_t *reg(uintptr_t off)
{
	return (volatile uint32_t *)(base + off);
}

/* This hart's S-mode context, or -1 if the devicetree gives it none. */
static int my_context(void)
{
	unsigned long hart = arch_curr_cpu()->hartid;

	for (size_t i = 0; i < ARRAY_SIZE(ctx_hart); i++) {
		if (ctx_hart[i] == (long)hart) {
			return i;
		}
	}
	return -1;
}

int irq_connect(unsigned int irq, irq_handler_t handler, const void *arg)
{
	if (irq == 0 || irq > NDEV) {
		return -EINVAL;
	}
	handlers[irq].fn = handler;
	handlers[irq].arg = arg;
	*reg(PRIORITY(irq)) = 1;
	return 0;
}

void irq_enable(unsigned int irq)
{
	*reg(ENABLE(boot_ctx, irq)) |= 1U << (irq % 32);
	/*
	 * A source already pending must interrupt now. QEMU 7.2's PLIC re-evaluates its output
	 * on a level change, a claim, a completion or a threshold write, not on an enable
	 * write: rewriting the (unchanged) threshold makes it look.
	 */
	*reg(THRESHOLD(boot_ctx)) = 0;
}

void irq_disable(unsigned int irq)
{
	*reg(ENABLE(boot_ctx, irq)) &= ~(1U << (irq % 32));
}

/* Every external interrupt of this hart: claims and handles what is pending. */
static void plic_isr(void)
{
	int ctx = my_context();
	uint32_t irq;

	if (ctx < 0) {
		return;
	}
	while ((irq = *reg(CLAIM(ctx))) != 0) {
		if (irq <= NDEV && handlers[irq].fn != NULL) {
			handlers[irq].fn(handlers[irq].arg);
		} else {
			printk("plic: spurious interrupt %u\n", irq);
		}
		*reg(CLAIM(ctx)) = irq;
	}
}

static int plic_init(const struct device *dev)
{
	base = device_map(DT_REG_ADDR(PLIC_NODE), DT_REG_SIZE(PLIC_NODE));
	arch_irq_external_handler_set(plic_isr);
	boot_ctx = my_context();
	if (boot_ctx < 0) {
		printk("plic: no S-mode context for hart %lu in the devicetree\n",
		       arch_curr_cpu()->hartid);
		return -ENODEV;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ctx_hart); i++) {
		if (ctx_hart[i] >= 0) {
			for (unsigned int w = 0; w <= NDEV / 32; w++) {
				*reg(ENABLE(i, w * 32)) = 0;
			}
			*reg(THRESHOLD(i)) = 0;
		}
	}
	csr_set(sie, SIE_SEIE);
	return 0;
}

DEVICE_DT_INST_DEFINE(0, plic_init, NULL, NULL, PRE_KERNEL_1, 10, NULL);
