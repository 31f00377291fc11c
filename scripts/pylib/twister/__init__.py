# SPDX-License-Identifier: Apache-2.0
"""Inox's Twister: build many test scenarios for many boards, run them, report.

One module per job:
  platforms  board yaml files -> Platform
  testplan   testcase.yaml / sample.yaml -> Scenario, (Scenario x Platform) -> Instance, filters
  expr       the `filter:` expression language (tokenizer, parser, evaluator)
  builder    cmake + ninja for one instance
  statuses   TwisterStatus, the statuses of configurations and cases
  harness    decides pass/fail from console lines (console, ztest)
  handlers   runs one instance under QEMU or on a board and feeds its console to the harness
  runner     the worker pool, progress output, retries
  reports    twister.json, JUnit XML, summary
  cli        argument parsing and main()
"""
