// Screenshots of the current OpenGL back buffer as PNG (tests, the README image, scripts).
#pragma once

#include <string>

#include "storage/result.hpp"

namespace lietvedis::ui {

// Reads the framebuffer (width x height, RGBA) of the current GL context with glReadPixels and
// writes it to `path` as PNG, top row first. Call after rendering and before swapping buffers.
// Errors: kIo when the file cannot be written, kValidation for a non-positive size.
Result<void> SaveScreenshot(const std::string& path, int width, int height);

}  // namespace lietvedis::ui
