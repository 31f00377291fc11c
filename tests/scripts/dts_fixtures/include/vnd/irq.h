/* SPDX-License-Identifier: Apache-2.0 */
#define IRQ_UART0 10
