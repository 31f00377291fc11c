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

/* For the interrupt controller's driver: the function the architecture calls for every
 * external interrupt (with interrupts off). Before it is set, one is a fatal error. */
void arch_irq_external_handler_set(void (*isr)(void));

#endif /* INOX_IRQ_H_ */
