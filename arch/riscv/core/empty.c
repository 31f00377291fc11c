/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The final link's own source file: CMake wants one per executable. Everything in the image
 * comes from the whole-archive app and inox_kernel libraries.
 */
