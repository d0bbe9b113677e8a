"""The SDK version: sent as `sdk` in every events body and stamped into dist/ by the build."""

VERSION = '0.1.0'
