/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device interrupts (through the PLIC). irq_connect() installs a handler for a devicetree
 * interrupt number (DT_IRQN); irq_enable() routes it to the boot hart. Handlers run with
 * interrupts disabled, in the interrupted thread's stack.
 */
#ifndef INOX_IRQ_H_
#define INOX_IRQ_H_

typedef void (*irq_handler_t)(const void *arg);

/* 0, or -EINVAL for an irq the controller does not have. */
int irq_connect(unsigned int irq, irq_handler_t handler, const void *arg);
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);

#endif /* INOX_IRQ_H_ */
