#include "ui/screenshot.hpp"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <stb_image_write.h>

#include <cstddef>
#include <vector>

namespace lietvedis::ui {

Result<void> SaveScreenshot(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0)
    return MakeError(Errc::kValidation, "screenshot: empty framebuffer");
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) *
                                    static_cast<std::size_t>(height) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // Opaque output: the clear colour already fills the frame; alpha from the GL buffer may be 0.
  for (std::size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
  stbi_flip_vertically_on_write(1);
  if (stbi_write_png(path.c_str(), width, height, 4, pixels.data(), width * 4) == 0) {
    return MakeError(Errc::kIo, "screenshot: cannot write " + path);
  }
  return Ok();
}

}  // namespace lietvedis::ui
