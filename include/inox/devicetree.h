/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Devicetree access for C: the DT_* macros over devicetree_generated.h.
 *
 * A node identifier (what DT_NODELABEL(uart0) and friends give) is a token
 * such as DT_N_S_soc_S_serial_10000000; every other macro pastes a suffix
 * onto it. Property names are written lowercase with '_' for every other
 * character (reg-shift -> reg_shift), compatibles likewise (sifive,uart0 ->
 * sifive_uart0). A node or property that does not exist expands to an
 * undefined identifier and fails to compile: nothing silently reads as 0,
 * except through the _EXISTS/HAS tests and DT_PROP_OR. doc/devicetree.md
 * lists every macro and the generated names behind them.
 */

#ifndef INOX_DEVICETREE_H_
#define INOX_DEVICETREE_H_

#include <generated/devicetree_generated.h>

/* -- Token helpers (private) ------------------------------------------------ */

#define Z_DT_CAT(a, b)               Z_DT_CAT_(a, b)
#define Z_DT_CAT_(a, b)              a##b
#define Z_DT_CAT3(a, b, c)           Z_DT_CAT3_(a, b, c)
#define Z_DT_CAT3_(a, b, c)          a##b##c
#define Z_DT_CAT4(a, b, c, d)        Z_DT_CAT4_(a, b, c, d)
#define Z_DT_CAT4_(a, b, c, d)       a##b##c##d
#define Z_DT_CAT5(a, b, c, d, e)     Z_DT_CAT5_(a, b, c, d, e)
#define Z_DT_CAT5_(a, b, c, d, e)    a##b##c##d##e
#define Z_DT_CAT6(a, b, c, d, e, f)  Z_DT_CAT6_(a, b, c, d, e, f)
#define Z_DT_CAT6_(a, b, c, d, e, f) a##b##c##d##e##f

/* 1 when x expands to 1, 0 for anything else, including an undefined name. */
#define Z_DT_ONE_1                   0,
#define Z_DT_IS_1(x)                 Z_DT_IS_1_(x)
#define Z_DT_IS_1_(x)                Z_DT_IS_1__(Z_DT_ONE_##x)
#define Z_DT_IS_1__(arg_or_args)     Z_DT_ARG2(arg_or_args 1, 0, ~)
#define Z_DT_ARG2(ignored, val, ...) val

/* if_code when flag (already 0 or 1) is 1, else else_code; both parenthesised. */
#define Z_DT_COND(flag, if_code, else_code)  Z_DT_COND_(flag, if_code, else_code)
#define Z_DT_COND_(flag, if_code, else_code) Z_DT_COND_##flag(if_code, else_code)
#define Z_DT_COND_1(if_code, else_code)      Z_DT_DEBRACKET if_code
#define Z_DT_COND_0(if_code, else_code)      Z_DT_DEBRACKET else_code
#define Z_DT_DEBRACKET(...)                  __VA_ARGS__

/* Register values get the unsigned long suffix in C and none in assembly. */
#ifdef __ASSEMBLER__
#define Z_DT_UL(x)  x
#define Z_DT_ULL(x) x
#else
#define Z_DT_UL(x)  Z_DT_CAT(x, UL)
#define Z_DT_ULL(x) Z_DT_CAT(x, ULL)
#endif

/* -- Node identifiers ------------------------------------------------------- */

#define DT_ROOT                  DT_N
#define DT_NODELABEL(label)      DT_N_NODELABEL_##label
#define DT_ALIAS(alias)          DT_N_ALIAS_##alias
#define DT_CHOSEN(prop)          DT_CHOSEN_##prop
#define DT_INST(inst, compat)    Z_DT_CAT4(DT_N_INST_, inst, _, compat)
#define DT_PARENT(node_id)       Z_DT_CAT(node_id, _PARENT)
#define DT_GPARENT(node_id)      DT_PARENT(DT_PARENT(node_id))
#define DT_CHILD(node_id, child) Z_DT_CAT3(node_id, _S_, child)
/* An okay node compatible with compat (instance 0: okay ones are numbered first), or nothing. */
#define DT_COMPAT_GET_ANY_STATUS_OKAY(compat)                                                      \
	Z_DT_COND(DT_HAS_COMPAT_STATUS_OKAY(compat), (DT_INST(0, compat)), ())

/* DT_PATH(soc, serial_10000000): path components, '@' '-' ',' '.' as '_'. */
#define DT_PATH(...)                                Z_DT_PATH_N(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, ~)(__VA_ARGS__)
#define Z_DT_PATH_N(a, b, c, d, e, f, g, h, n, ...) Z_DT_PATH_##n
#define Z_DT_PATH_1(a)                              DT_N_S_##a
#define Z_DT_PATH_2(a, b)                           DT_N_S_##a##_S_##b
#define Z_DT_PATH_3(a, b, c)                        DT_N_S_##a##_S_##b##_S_##c
#define Z_DT_PATH_4(a, b, c, d)                     DT_N_S_##a##_S_##b##_S_##c##_S_##d
#define Z_DT_PATH_5(a, b, c, d, e)                  Z_DT_CAT3(Z_DT_PATH_4(a, b, c, d), _S_, e)
#define Z_DT_PATH_6(a, b, c, d, e, f)               Z_DT_CAT3(Z_DT_PATH_5(a, b, c, d, e), _S_, f)
#define Z_DT_PATH_7(a, b, c, d, e, f, g)            Z_DT_CAT3(Z_DT_PATH_6(a, b, c, d, e, f), _S_, g)
#define Z_DT_PATH_8(a, b, c, d, e, f, g, h)         Z_DT_CAT3(Z_DT_PATH_7(a, b, c, d, e, f, g), _S_, h)

/* -- Existence, status, compatibles ----------------------------------------- */

#define DT_NODE_EXISTS(node_id)             Z_DT_IS_1(Z_DT_CAT(node_id, _EXISTS))
#define DT_HAS_CHOSEN(prop)                 Z_DT_IS_1(DT_CHOSEN_##prop##_EXISTS)
#define DT_HAS_ALIAS(alias)                 Z_DT_IS_1(DT_N_ALIAS_##alias##_EXISTS)
#define DT_NODE_HAS_STATUS(node_id, status) Z_DT_IS_1(Z_DT_CAT3(node_id, _STATUS_, status))
#define DT_NODE_HAS_STATUS_OKAY(node_id)    DT_NODE_HAS_STATUS(node_id, okay)
#define DT_NODE_HAS_COMPAT(node_id, compat) Z_DT_IS_1(Z_DT_CAT3(node_id, _COMPAT_MATCHES_, compat))
#define DT_HAS_COMPAT_STATUS_OKAY(compat)   Z_DT_IS_1(Z_DT_CAT(DT_COMPAT_HAS_OKAY_, compat))
#define DT_NUM_INST_STATUS_OKAY(compat)                                                            \
	Z_DT_COND(DT_HAS_COMPAT_STATUS_OKAY(compat), (Z_DT_CAT3(DT_N_INST_, compat, _NUM_OKAY)),   \
		  (0))

#define DT_NODE_HAS_COMPAT_STATUS(node_id, compat, status)                                         \
	Z_DT_COND(DT_NODE_HAS_COMPAT(node_id, compat), (DT_NODE_HAS_STATUS(node_id, status)), (0))
/* 1 if an okay instance of DT_DRV_COMPAT has prop (the test of #if, COND_CODE_1). */
#define DT_ANY_INST_HAS_PROP_STATUS_OKAY(prop)                                                     \
	Z_DT_COND(Z_DT_IS_1(Z_DT_CAT(Z_DT_NONE_, DT_INST_FOREACH_STATUS_OKAY_VARGS(                \
							 Z_DT_INST_HAS_PROP_MARK, prop))),         \
		  (0), (1))
#define Z_DT_INST_HAS_PROP_MARK(inst, prop)                                                        \
	Z_DT_COND(DT_INST_NODE_HAS_PROP(inst, prop), (_found), ())
#define Z_DT_NONE_ 1

#define DT_NODE_PATH(node_id)      Z_DT_CAT(node_id, _PATH)
#define DT_NODE_FULL_NAME(node_id) Z_DT_CAT(node_id, _FULL_NAME)
#define DT_NODE_NAME(node_id)      Z_DT_CAT(node_id, _NODE_NAME)
/* Its index among its parent's children, in tree order. */
#define DT_NODE_CHILD_IDX(node_id) Z_DT_CAT(node_id, _CHILD_IDX)
/* Dependency ordinals: every node a node needs (parent, phandle targets, interrupt
 * controllers) has a smaller one. */
#define DT_DEP_ORD(node_id)              Z_DT_CAT(node_id, _ORD)
#define DT_DEP_ORD_STR_SORTABLE(node_id) Z_DT_CAT(node_id, _ORD_STR_SORTABLE)
#define DT_REQUIRES_DEP_ORDS(node_id)    Z_DT_CAT(node_id, _REQUIRES_ORDS)
#define DT_SUPPORTS_DEP_ORDS(node_id)    Z_DT_CAT(node_id, _SUPPORTS_ORDS)
#define DT_SAME_NODE(node_id1, node_id2) (DT_DEP_ORD(node_id1) == DT_DEP_ORD(node_id2))
/* Node labels: how many, fn(label) for each, and { "label", ... }. */
#define DT_NUM_NODELABELS(node_id)        Z_DT_CAT(node_id, _NODELABEL_NUM)
#define DT_FOREACH_NODELABEL(node_id, fn) Z_DT_CAT(node_id, _FOREACH_NODELABEL)(fn)
#define DT_FOREACH_NODELABEL_VARGS(node_id, fn, ...)                                               \
	Z_DT_CAT(node_id, _FOREACH_NODELABEL_VARGS)(fn, __VA_ARGS__)
#define DT_NODELABEL_STRING_ARRAY(node_id)                                                         \
	{                                                                                          \
		DT_FOREACH_NODELABEL(node_id, Z_DT_NODELABEL_STRING)                               \
	}
#define Z_DT_NODELABEL_STRING(label) #label,

/* -- Properties ------------------------------------------------------------- */

#define DT_PROP(node_id, prop)          Z_DT_CAT3(node_id, _P_, prop)
#define DT_NODE_HAS_PROP(node_id, prop) Z_DT_IS_1(Z_DT_CAT4(node_id, _P_, prop, _EXISTS))
#define DT_PROP_OR(node_id, prop, default_value)                                                   \
	Z_DT_COND(DT_NODE_HAS_PROP(node_id, prop), (DT_PROP(node_id, prop)), (default_value))
#define DT_PROP_LEN(node_id, prop) Z_DT_CAT4(node_id, _P_, prop, _LEN)
#define DT_PROP_LEN_OR(node_id, prop, default_value)                                               \
	Z_DT_COND(DT_NODE_HAS_PROP(node_id, prop), (DT_PROP_LEN(node_id, prop)), (default_value))
#define DT_PROP_HAS_IDX(node_id, prop, idx)                                                        \
	Z_DT_IS_1(Z_DT_CAT6(node_id, _P_, prop, _IDX_, idx, _EXISTS))
#define DT_PROP_BY_IDX(node_id, prop, idx) Z_DT_CAT4(node_id, _P_, prop, Z_DT_CAT(_IDX_, idx))
#define DT_PROP_LAST(node_id, prop)                                                                \
	DT_PROP_BY_IDX(node_id, prop, Z_DT_CAT4(node_id, _P_, prop, _LAST_IDX))
#define DT_ENUM_IDX(node_id, prop) Z_DT_CAT4(node_id, _P_, prop, _ENUM_IDX)
#define DT_ENUM_IDX_OR(node_id, prop, default_idx_value)                                           \
	Z_DT_COND(DT_NODE_HAS_PROP(node_id, prop), (DT_ENUM_IDX(node_id, prop)),                   \
		  (default_idx_value))
#define DT_STRING_TOKEN(node_id, prop)       Z_DT_CAT4(node_id, _P_, prop, _STRING_TOKEN)
#define DT_STRING_UPPER_TOKEN(node_id, prop) Z_DT_CAT4(node_id, _P_, prop, _STRING_UPPER_TOKEN)
#define DT_STRING_UNQUOTED(node_id, prop)    Z_DT_CAT4(node_id, _P_, prop, _STRING_UNQUOTED)
#define DT_STRING_TOKEN_OR(node_id, prop, default_value)                                           \
	Z_DT_COND(DT_NODE_HAS_PROP(node_id, prop), (DT_STRING_TOKEN(node_id, prop)),               \
		  (default_value))
#define DT_STRING_UPPER_TOKEN_OR(node_id, prop, default_value)                                     \
	Z_DT_COND(DT_NODE_HAS_PROP(node_id, prop), (DT_STRING_UPPER_TOKEN(node_id, prop)),         \
		  (default_value))
#define DT_STRING_UNQUOTED_OR(node_id, prop, default_value)                                        \
	Z_DT_COND(DT_NODE_HAS_PROP(node_id, prop), (DT_STRING_UNQUOTED(node_id, prop)),            \
		  (default_value))
/* The idx-th string of a string-array, as a token (Zephyr's _BY_IDX forms). */
#define DT_STRING_TOKEN_BY_IDX(node_id, prop, idx)                                                 \
	Z_DT_CAT6(node_id, _P_, prop, _IDX_, idx, _STRING_TOKEN)
#define DT_STRING_UPPER_TOKEN_BY_IDX(node_id, prop, idx)                                           \
	Z_DT_CAT6(node_id, _P_, prop, _IDX_, idx, _STRING_UPPER_TOKEN)
#define DT_STRING_UNQUOTED_BY_IDX(node_id, prop, idx)                                              \
	Z_DT_CAT6(node_id, _P_, prop, _IDX_, idx, _STRING_UNQUOTED)
/* fn(node_id, prop, idx) for each element of an array or string-array; _SEP puts sep (in
 * parentheses: (,)) between the calls, _VARGS passes more arguments. */
#define DT_FOREACH_PROP_ELEM(node_id, prop, fn)                                                    \
	Z_DT_CAT4(node_id, _P_, prop, _FOREACH_PROP_ELEM)(fn)
#define DT_FOREACH_PROP_ELEM_SEP(node_id, prop, fn, sep)                                           \
	Z_DT_CAT4(node_id, _P_, prop, _FOREACH_PROP_ELEM_SEP)(fn, sep)
#define DT_FOREACH_PROP_ELEM_VARGS(node_id, prop, fn, ...)                                         \
	Z_DT_CAT4(node_id, _P_, prop, _FOREACH_PROP_ELEM_VARGS)(fn, __VA_ARGS__)
#define DT_FOREACH_PROP_ELEM_SEP_VARGS(node_id, prop, fn, sep, ...)                                \
	Z_DT_CAT4(node_id, _P_, prop, _FOREACH_PROP_ELEM_SEP_VARGS)(fn, sep, __VA_ARGS__)

/* phandle, phandles and phandle-array properties: node identifiers and cells. */
#define DT_PHANDLE_BY_IDX(node_id, prop, idx) Z_DT_CAT6(node_id, _P_, prop, _IDX_, idx, _PH)
#define DT_PHANDLE(node_id, prop)             DT_PHANDLE_BY_IDX(node_id, prop, 0)
#define DT_PHA_BY_IDX(node_id, pha, idx, cell)                                                     \
	Z_DT_CAT4(node_id, _P_, pha, Z_DT_CAT4(_IDX_, idx, _VAL_, cell))
#define DT_PHA(node_id, pha, cell) DT_PHA_BY_IDX(node_id, pha, 0, cell)
#define DT_PHA_BY_NAME(node_id, pha, name, cell)                                                   \
	Z_DT_CAT4(node_id, _P_, pha, Z_DT_CAT4(_NAME_, name, _VAL_, cell))
#define DT_PHANDLE_BY_NAME(node_id, pha, name) Z_DT_CAT6(node_id, _P_, pha, _NAME_, name, _PH)
#define DT_PHA_HAS_CELL_AT_IDX(node_id, pha, idx, cell)                                            \
	Z_DT_IS_1(Z_DT_CAT4(node_id, _P_, pha, Z_DT_CAT5(_IDX_, idx, _VAL_, cell, _EXISTS)))
#define DT_PHA_HAS_CELL(node_id, pha, cell) DT_PHA_HAS_CELL_AT_IDX(node_id, pha, 0, cell)
#define DT_PHA_BY_IDX_OR(node_id, pha, idx, cell, default_value)                                   \
	Z_DT_COND(DT_PHA_HAS_CELL_AT_IDX(node_id, pha, idx, cell),                                 \
		  (DT_PHA_BY_IDX(node_id, pha, idx, cell)), (default_value))
#define DT_PHA_OR(node_id, pha, cell, default_value)                                               \
	DT_PHA_BY_IDX_OR(node_id, pha, 0, cell, default_value)
/* A property of the node a phandle (or the idx-th of phandles) points at. */
#define DT_PROP_BY_PHANDLE_IDX(node_id, ph, idx, prop)                                             \
	DT_PROP(DT_PHANDLE_BY_IDX(node_id, ph, idx), prop)
#define DT_PROP_BY_PHANDLE(node_id, ph, prop) DT_PROP_BY_PHANDLE_IDX(node_id, ph, 0, prop)
#define DT_PROP_BY_PHANDLE_IDX_OR(node_id, ph, idx, prop, default_value)                           \
	DT_PROP_OR(DT_PHANDLE_BY_IDX(node_id, ph, idx), prop, default_value)

/* -- reg -------------------------------------------------------------------- */

#define DT_NUM_REGS(node_id)             Z_DT_CAT(node_id, _REG_NUM)
#define DT_REG_HAS_IDX(node_id, idx)     Z_DT_IS_1(Z_DT_CAT4(node_id, _REG_IDX_, idx, _EXISTS))
#define DT_REG_ADDR_BY_IDX(node_id, idx) Z_DT_UL(Z_DT_CAT4(node_id, _REG_IDX_, idx, _VAL_ADDRESS))
#define DT_REG_SIZE_BY_IDX(node_id, idx) Z_DT_UL(Z_DT_CAT4(node_id, _REG_IDX_, idx, _VAL_SIZE))
#define DT_REG_ADDR(node_id)             DT_REG_ADDR_BY_IDX(node_id, 0)
#define DT_REG_SIZE(node_id)             DT_REG_SIZE_BY_IDX(node_id, 0)
#define DT_REG_HAS_NAME(node_id, name)   Z_DT_IS_1(Z_DT_CAT4(node_id, _REG_NAME_, name, _EXISTS))
#define DT_REG_ADDR_BY_NAME(node_id, name)                                                         \
	Z_DT_UL(Z_DT_CAT4(node_id, _REG_NAME_, name, _VAL_ADDRESS))
#define DT_REG_SIZE_BY_NAME(node_id, name) Z_DT_UL(Z_DT_CAT4(node_id, _REG_NAME_, name, _VAL_SIZE))
/* The same as 64-bit (ULL) constants, whatever the word size. */
#define DT_REG_ADDR_BY_IDX_U64(node_id, idx)                                                       \
	Z_DT_ULL(Z_DT_CAT4(node_id, _REG_IDX_, idx, _VAL_ADDRESS))
#define DT_REG_ADDR_U64(node_id) DT_REG_ADDR_BY_IDX_U64(node_id, 0)
#define DT_REG_ADDR_BY_NAME_U64(node_id, name)                                                     \
	Z_DT_ULL(Z_DT_CAT4(node_id, _REG_NAME_, name, _VAL_ADDRESS))

/* -- Interrupts (interrupts, or interrupts-extended when present) ----------- */

#define DT_NUM_IRQS(node_id)         Z_DT_CAT(node_id, _IRQ_NUM)
#define DT_IRQ_HAS_IDX(node_id, idx) Z_DT_IS_1(Z_DT_CAT4(node_id, _IRQ_IDX_, idx, _EXISTS))
#define DT_IRQ_HAS_CELL_AT_IDX(node_id, idx, cell)                                                 \
	Z_DT_IS_1(Z_DT_CAT6(node_id, _IRQ_IDX_, idx, _VAL_, cell, _EXISTS))
#define DT_IRQ_HAS_CELL(node_id, cell)    DT_IRQ_HAS_CELL_AT_IDX(node_id, 0, cell)
#define DT_IRQ_HAS_NAME(node_id, name)    Z_DT_IS_1(Z_DT_CAT4(node_id, _IRQ_NAME_, name, _EXISTS))
#define DT_IRQ_BY_IDX(node_id, idx, cell) Z_DT_CAT4(node_id, _IRQ_IDX_, idx, Z_DT_CAT(_VAL_, cell))
#define DT_IRQ(node_id, cell)             DT_IRQ_BY_IDX(node_id, 0, cell)
#define DT_IRQN_BY_IDX(node_id, idx)      DT_IRQ_BY_IDX(node_id, idx, irq)
#define DT_IRQN(node_id)                  DT_IRQN_BY_IDX(node_id, 0)
#define DT_IRQ_BY_NAME(node_id, name, cell)                                                        \
	Z_DT_CAT4(node_id, _IRQ_NAME_, name, Z_DT_CAT(_VAL_, cell))
/* The node identifier of the controller the idx-th interrupt goes to. */
#define DT_IRQ_INTC_BY_IDX(node_id, idx) Z_DT_CAT4(node_id, _IRQ_IDX_, idx, _CONTROLLER)
#define DT_IRQ_INTC(node_id)             DT_IRQ_INTC_BY_IDX(node_id, 0)

/* -- Iteration -------------------------------------------------------------- */

/* fn(node_id) for each child, in devicetree order; _VARGS passes more arguments. */
#define DT_FOREACH_CHILD(node_id, fn) Z_DT_CAT(node_id, _FOREACH_CHILD)(fn)
#define DT_FOREACH_CHILD_VARGS(node_id, fn, ...)                                                   \
	Z_DT_CAT(node_id, _FOREACH_CHILD_VARGS)(fn, __VA_ARGS__)
#define DT_FOREACH_CHILD_STATUS_OKAY(node_id, fn) Z_DT_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY)(fn)
#define DT_FOREACH_CHILD_STATUS_OKAY_VARGS(node_id, fn, ...)                                       \
	Z_DT_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY_VARGS)(fn, __VA_ARGS__)
#define DT_CHILD_NUM(node_id)             Z_DT_CAT(node_id, _CHILD_NUM)
#define DT_CHILD_NUM_STATUS_OKAY(node_id) Z_DT_CAT(node_id, _CHILD_NUM_STATUS_OKAY)
/* The same with sep (in parentheses: (,)) between the calls. */
#define DT_FOREACH_CHILD_SEP(node_id, fn, sep) Z_DT_CAT(node_id, _FOREACH_CHILD_SEP)(fn, sep)
#define DT_FOREACH_CHILD_SEP_VARGS(node_id, fn, sep, ...)                                          \
	Z_DT_CAT(node_id, _FOREACH_CHILD_SEP_VARGS)(fn, sep, __VA_ARGS__)
#define DT_FOREACH_CHILD_STATUS_OKAY_SEP(node_id, fn, sep)                                         \
	Z_DT_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY_SEP)(fn, sep)
#define DT_FOREACH_CHILD_STATUS_OKAY_SEP_VARGS(node_id, fn, sep, ...)                              \
	Z_DT_CAT(node_id, _FOREACH_CHILD_STATUS_OKAY_SEP_VARGS)(fn, sep, __VA_ARGS__)

/* fn(node_id) for every node / every okay node, in dependency order. */
#define DT_FOREACH_NODE(fn)                        DT_FOREACH_HELPER(fn)
#define DT_FOREACH_NODE_VARGS(fn, ...)             DT_FOREACH_HELPER_VARGS(fn, __VA_ARGS__)
#define DT_FOREACH_STATUS_OKAY_NODE(fn)            DT_FOREACH_OKAY_HELPER(fn)
#define DT_FOREACH_STATUS_OKAY_NODE_VARGS(fn, ...) DT_FOREACH_OKAY_HELPER_VARGS(fn, __VA_ARGS__)

/* fn(node_id) for each okay node compatible with compat; nothing if there is none. */
#define DT_FOREACH_STATUS_OKAY(compat, fn)                                                         \
	Z_DT_COND(DT_HAS_COMPAT_STATUS_OKAY(compat), (Z_DT_CAT(DT_FOREACH_OKAY_, compat)(fn)), ())
#define DT_FOREACH_STATUS_OKAY_VARGS(compat, fn, ...)                                              \
	Z_DT_COND(DT_HAS_COMPAT_STATUS_OKAY(compat),                                               \
		  (Z_DT_CAT(DT_FOREACH_OKAY_VARGS_, compat)(fn, __VA_ARGS__)), ())

/* fn(node_id) for each okay node with device_type = "memory" (the RAM banks). */
#define DT_MEMORY_FOREACH(fn) DT_FOREACH_MEMORY(fn)
#define DT_NUM_MEMORY         DT_MEMORY_NUM

/* -- Instances of DT_DRV_COMPAT (define it before using these) ----------- */

#define DT_DRV_INST(inst)                 DT_INST(inst, DT_DRV_COMPAT)
#define DT_INST_PARENT(inst)              DT_PARENT(DT_DRV_INST(inst))
#define DT_INST_NODE_HAS_PROP(inst, prop) DT_NODE_HAS_PROP(DT_DRV_INST(inst), prop)
#define DT_INST_PROP(inst, prop)          DT_PROP(DT_DRV_INST(inst), prop)
#define DT_INST_PROP_OR(inst, prop, default_value)                                                 \
	DT_PROP_OR(DT_DRV_INST(inst), prop, default_value)
#define DT_INST_PROP_LEN(inst, prop)             DT_PROP_LEN(DT_DRV_INST(inst), prop)
#define DT_INST_PROP_BY_IDX(inst, prop, idx)     DT_PROP_BY_IDX(DT_DRV_INST(inst), prop, idx)
#define DT_INST_ENUM_IDX(inst, prop)             DT_ENUM_IDX(DT_DRV_INST(inst), prop)
#define DT_INST_STRING_TOKEN(inst, prop)         DT_STRING_TOKEN(DT_DRV_INST(inst), prop)
#define DT_INST_STRING_UPPER_TOKEN(inst, prop)   DT_STRING_UPPER_TOKEN(DT_DRV_INST(inst), prop)
#define DT_INST_PHANDLE(inst, prop)              DT_PHANDLE(DT_DRV_INST(inst), prop)
#define DT_INST_PHANDLE_BY_IDX(inst, prop, idx)  DT_PHANDLE_BY_IDX(DT_DRV_INST(inst), prop, idx)
#define DT_INST_PHA(inst, pha, cell)             DT_PHA(DT_DRV_INST(inst), pha, cell)
#define DT_INST_PHA_BY_IDX(inst, pha, idx, cell) DT_PHA_BY_IDX(DT_DRV_INST(inst), pha, idx, cell)
#define DT_INST_NUM_REGS(inst)                   DT_NUM_REGS(DT_DRV_INST(inst))
#define DT_INST_REG_ADDR(inst)                   DT_REG_ADDR(DT_DRV_INST(inst))
#define DT_INST_REG_SIZE(inst)                   DT_REG_SIZE(DT_DRV_INST(inst))
#define DT_INST_REG_ADDR_BY_IDX(inst, idx)       DT_REG_ADDR_BY_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_REG_SIZE_BY_IDX(inst, idx)       DT_REG_SIZE_BY_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_REG_ADDR_BY_NAME(inst, name)     DT_REG_ADDR_BY_NAME(DT_DRV_INST(inst), name)
#define DT_INST_REG_SIZE_BY_NAME(inst, name)     DT_REG_SIZE_BY_NAME(DT_DRV_INST(inst), name)
#define DT_INST_NUM_IRQS(inst)                   DT_NUM_IRQS(DT_DRV_INST(inst))
#define DT_INST_IRQN(inst)                       DT_IRQN(DT_DRV_INST(inst))
#define DT_INST_IRQ(inst, cell)                  DT_IRQ(DT_DRV_INST(inst), cell)
#define DT_INST_IRQ_BY_IDX(inst, idx, cell)      DT_IRQ_BY_IDX(DT_DRV_INST(inst), idx, cell)
#define DT_INST_NODE_HAS_STATUS_OKAY(inst)       DT_NODE_HAS_STATUS_OKAY(DT_DRV_INST(inst))
#define DT_INST_FOREACH_CHILD(inst, fn)          DT_FOREACH_CHILD(DT_DRV_INST(inst), fn)
#define DT_INST_FOREACH_CHILD_STATUS_OKAY(inst, fn)                                                \
	DT_FOREACH_CHILD_STATUS_OKAY(DT_DRV_INST(inst), fn)
#define DT_INST_CHILD_NUM_STATUS_OKAY(inst)   DT_CHILD_NUM_STATUS_OKAY(DT_DRV_INST(inst))
#define DT_INST_EXISTS(inst)                  DT_NODE_EXISTS(DT_DRV_INST(inst))
#define DT_INST_GPARENT(inst)                 DT_GPARENT(DT_DRV_INST(inst))
#define DT_INST_DEP_ORD(inst)                 DT_DEP_ORD(DT_DRV_INST(inst))
#define DT_INST_PROP_LAST(inst, prop)         DT_PROP_LAST(DT_DRV_INST(inst), prop)
#define DT_INST_PROP_HAS_IDX(inst, prop, idx) DT_PROP_HAS_IDX(DT_DRV_INST(inst), prop, idx)
#define DT_INST_PROP_LEN_OR(inst, prop, default_value)                                             \
	DT_PROP_LEN_OR(DT_DRV_INST(inst), prop, default_value)
#define DT_INST_ENUM_IDX_OR(inst, prop, default_idx_value)                                         \
	DT_ENUM_IDX_OR(DT_DRV_INST(inst), prop, default_idx_value)
#define DT_INST_STRING_TOKEN_OR(inst, prop, default_value)                                         \
	DT_STRING_TOKEN_OR(DT_DRV_INST(inst), prop, default_value)
#define DT_INST_STRING_UNQUOTED(inst, prop)      DT_STRING_UNQUOTED(DT_DRV_INST(inst), prop)
#define DT_INST_PHANDLE_BY_NAME(inst, pha, name) DT_PHANDLE_BY_NAME(DT_DRV_INST(inst), pha, name)
#define DT_INST_PHA_BY_NAME(inst, pha, name, cell)                                                 \
	DT_PHA_BY_NAME(DT_DRV_INST(inst), pha, name, cell)
#define DT_INST_PHA_HAS_CELL(inst, pha, cell)   DT_PHA_HAS_CELL(DT_DRV_INST(inst), pha, cell)
#define DT_INST_PROP_BY_PHANDLE(inst, ph, prop) DT_PROP_BY_PHANDLE(DT_DRV_INST(inst), ph, prop)
#define DT_INST_REG_HAS_IDX(inst, idx)          DT_REG_HAS_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_REG_HAS_NAME(inst, name)        DT_REG_HAS_NAME(DT_DRV_INST(inst), name)
#define DT_INST_REG_ADDR_U64(inst)              DT_REG_ADDR_U64(DT_DRV_INST(inst))
#define DT_INST_IRQ_HAS_IDX(inst, idx)          DT_IRQ_HAS_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_IRQ_HAS_CELL(inst, cell)        DT_IRQ_HAS_CELL(DT_DRV_INST(inst), cell)
#define DT_INST_IRQ_HAS_NAME(inst, name)        DT_IRQ_HAS_NAME(DT_DRV_INST(inst), name)
#define DT_INST_IRQ_BY_NAME(inst, name, cell)   DT_IRQ_BY_NAME(DT_DRV_INST(inst), name, cell)
#define DT_INST_IRQN_BY_IDX(inst, idx)          DT_IRQN_BY_IDX(DT_DRV_INST(inst), idx)
#define DT_INST_NODE_HAS_COMPAT(inst, compat)   DT_NODE_HAS_COMPAT(DT_DRV_INST(inst), compat)
#define DT_INST_CHILD_NUM(inst)                 DT_CHILD_NUM(DT_DRV_INST(inst))
#define DT_INST_FOREACH_CHILD_VARGS(inst, fn, ...)                                                 \
	DT_FOREACH_CHILD_VARGS(DT_DRV_INST(inst), fn, __VA_ARGS__)
#define DT_INST_FOREACH_CHILD_SEP(inst, fn, sep)  DT_FOREACH_CHILD_SEP(DT_DRV_INST(inst), fn, sep)
#define DT_INST_FOREACH_PROP_ELEM(inst, prop, fn) DT_FOREACH_PROP_ELEM(DT_DRV_INST(inst), prop, fn)
#define DT_NUM_INST_STATUS_OKAY_DRV()             DT_NUM_INST_STATUS_OKAY(DT_DRV_COMPAT)
#define DT_HAS_DRV_INST_STATUS_OKAY()             DT_HAS_COMPAT_STATUS_OKAY(DT_DRV_COMPAT)

/* fn(inst) for each okay instance of DT_DRV_COMPAT: 0, 1, ... */
#define DT_INST_FOREACH_STATUS_OKAY(fn) Z_DT_INST_FOREACH(DT_DRV_COMPAT, fn)
#define Z_DT_INST_FOREACH(compat, fn)   Z_DT_INST_FOREACH_(compat, fn)
#define Z_DT_INST_FOREACH_(compat, fn)                                                             \
	Z_DT_COND(DT_HAS_COMPAT_STATUS_OKAY(compat),                                               \
		  (Z_DT_CAT(DT_FOREACH_OKAY_INST_, compat)(fn)), ())
#define DT_INST_FOREACH_STATUS_OKAY_VARGS(fn, ...)                                                 \
	Z_DT_INST_FOREACH_VARGS(DT_DRV_COMPAT, fn, __VA_ARGS__)
#define Z_DT_INST_FOREACH_VARGS(compat, fn, ...) Z_DT_INST_FOREACH_VARGS_(compat, fn, __VA_ARGS__)
#define Z_DT_INST_FOREACH_VARGS_(compat, fn, ...)                                                  \
	Z_DT_COND(DT_HAS_COMPAT_STATUS_OKAY(compat),                                               \
		  (Z_DT_CAT(DT_FOREACH_OKAY_INST_VARGS_, compat)(fn, __VA_ARGS__)), ())

#endif /* INOX_DEVICETREE_H_ */
