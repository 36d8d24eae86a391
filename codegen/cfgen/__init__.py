"""cloudflare-cpp's code generator, as stages (codegen/generate.py runs them in order)."""
