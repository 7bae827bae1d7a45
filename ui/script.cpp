#include "ui/script.hpp"

#include <GLFW/glfw3.h>
#include <imgui_internal.h>

#include <cctype>
#include <charconv>

#include "ui/widgets.hpp"

namespace lietvedis::ui {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits a line into words; double-quoted words may contain spaces and \" \\ escapes.
Result<std::vector<std::string>> Words(std::string_view line, int line_no) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size()) break;
    std::string word;
    if (line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        char c = line[i++];
        if (c == '\\' && i < line.size()) {
          word.push_back(line[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          word.push_back(c);
        }
      }
      if (!closed)
        return MakeError(Errc::kValidation,
                         "script line " + std::to_string(line_no) + ": unclosed quote");
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        word.push_back(line[i++]);
    }
    out.push_back(std::move(word));
  }
  return out;
}

}  // namespace

Result<std::vector<ScriptStep>> ParseScript(std::string_view text) {
  std::vector<ScriptStep> steps;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    LV_ASSIGN(auto words, Words(line, line_no));
    if (words.empty() || words[0].front() == '#') {
      if (eol == text.size()) break;
      continue;
    }
    const std::string where = "script line " + std::to_string(line_no) + ": ";
    const std::string verb = Lower(words[0]);
    ScriptStep step;
    step.line = line_no;
    auto need_arg = [&](ScriptStep::Kind kind) -> Result<void> {
      if (words.size() != 2)
        return MakeError(Errc::kValidation, where + verb + " takes one argument");
      step.kind = kind;
      step.arg = words[1];
      return Ok();
    };
    if (verb == "wait" || verb == "scroll") {
      const bool wait = verb == "wait";
      const std::string what = wait ? "wait needs a frame count between 0 and 100000"
                                    : "scroll needs a notch count between -1000 and 1000";
      if (words.size() != 2) return MakeError(Errc::kValidation, where + what);
      int n = 0;
      auto [p, ec] = std::from_chars(words[1].data(), words[1].data() + words[1].size(), n);
      const bool in_range = wait ? (n >= 0 && n <= 100000) : (n >= -1000 && n <= 1000);
      if (ec != std::errc() || p != words[1].data() + words[1].size() || !in_range) {
        return MakeError(Errc::kValidation, where + what);
      }
      step.kind = wait ? ScriptStep::Kind::kWait : ScriptStep::Kind::kScroll;
      step.frames = n;
    } else if (verb == "idle" || verb == "quit" || verb == "measure" || verb == "sync_done") {
      if (words.size() != 1)
        return MakeError(Errc::kValidation, where + verb + " takes no argument");
      step.kind = verb == "idle"        ? ScriptStep::Kind::kIdle
                  : verb == "quit"      ? ScriptStep::Kind::kQuit
                  : verb == "sync_done" ? ScriptStep::Kind::kSyncDone
                                        : ScriptStep::Kind::kMeasure;
    } else if (verb == "click") {
      LV_TRY(need_arg(ScriptStep::Kind::kClick));
    } else if (verb == "hover") {
      LV_TRY(need_arg(ScriptStep::Kind::kHover));
    } else if (verb == "doubleclick") {
      LV_TRY(need_arg(ScriptStep::Kind::kDoubleClick));
    } else if (verb == "type") {
      LV_TRY(need_arg(ScriptStep::Kind::kType));
    } else if (verb == "key") {
      LV_TRY(need_arg(ScriptStep::Kind::kKey));
      KeyChord chord;
      if (!ParseKeyChord(step.arg, &chord))
        return MakeError(Errc::kValidation, where + "unknown key " + step.arg);
    } else if (verb == "expect") {
      LV_TRY(need_arg(ScriptStep::Kind::kExpect));
    } else if (verb == "expect_not") {
      LV_TRY(need_arg(ScriptStep::Kind::kExpectNot));
    } else if (verb == "expect_focus") {
      LV_TRY(need_arg(ScriptStep::Kind::kExpectFocus));
    } else if (verb == "screenshot") {
      LV_TRY(need_arg(ScriptStep::Kind::kScreenshot));
    } else if (verb == "lang") {
      LV_TRY(need_arg(ScriptStep::Kind::kLang));
      if (step.arg != "lv" && step.arg != "en")
        return MakeError(Errc::kValidation, where + "lang is lv or en");
    } else {
      return MakeError(Errc::kValidation, where + "unknown step " + words[0]);
    }
    steps.push_back(std::move(step));
    if (eol == text.size()) break;
  }
  return steps;
}

bool ParseKeyChord(std::string_view name, KeyChord* out) {
  KeyChord chord;
  std::string rest = Lower(name);
  for (;;) {
    if (rest.rfind("ctrl+", 0) == 0) {
      chord.ctrl = true;
      rest.erase(0, 5);
    } else if (rest.rfind("shift+", 0) == 0) {
      chord.shift = true;
      rest.erase(0, 6);
    } else {
      break;
    }
  }
  static const std::pair<const char*, int> kKeys[] = {
      {"enter", GLFW_KEY_ENTER},         {"tab", GLFW_KEY_TAB},       {"escape", GLFW_KEY_ESCAPE},
      {"backspace", GLFW_KEY_BACKSPACE}, {"delete", GLFW_KEY_DELETE}, {"up", GLFW_KEY_UP},
      {"down", GLFW_KEY_DOWN},           {"left", GLFW_KEY_LEFT},     {"right", GLFW_KEY_RIGHT},
      {"home", GLFW_KEY_HOME},           {"end", GLFW_KEY_END},       {"pageup", GLFW_KEY_PAGE_UP},
      {"pagedown", GLFW_KEY_PAGE_DOWN},  {"space", GLFW_KEY_SPACE},
  };
  for (const auto& [key_name, code] : kKeys) {
    if (rest == key_name) {
      chord.key = code;
      *out = chord;
      return true;
    }
  }
  if (rest.size() == 1 && rest[0] >= 'a' && rest[0] <= 'z') {
    chord.key = GLFW_KEY_A + (rest[0] - 'a');
    *out = chord;
    return true;
  }
  return false;
}

ScriptPlayer::ScriptPlayer(std::vector<ScriptStep> steps, Hooks hooks, int timeout_frames)
    : steps_(std::move(steps)), hooks_(std::move(hooks)), timeout_frames_(timeout_frames) {
  if (steps_.empty()) finished_ = true;
}

void ScriptPlayer::Fail(const std::string& message) {
  const auto& step = steps_[index_];
  error_ = "script line " + std::to_string(step.line) + ": " + message;
  finished_ = true;
}

void ScriptPlayer::Next() {
  ++index_;
  step_frames_ = 0;
  quiet_frames_ = 0;
  step_started_ = std::chrono::steady_clock::now();
  phase_ = 0;
  if (index_ >= steps_.size()) finished_ = true;
}

bool ScriptPlayer::WantsText() const {
  if (finished_) return false;
  const auto kind = steps_[index_].kind;
  return kind == ScriptStep::Kind::kExpect || kind == ScriptStep::Kind::kExpectNot;
}

void ScriptPlayer::BeforeNewFrame(ImGuiIO& io) {
  // The real mouse never interferes with a scripted run, nor does the window's focus: desktops
  // run side by side on one X server (ctest -j2 under one xvfb-run) take the focus from each
  // other, and ImGui clears the keys held in a frame after a focus loss, which would drop the
  // script's key press of that frame.
  io.AppFocusLost = false;
  for (int key : held_keys_) io.KeysDown[key] = false;
  held_keys_.clear();
  io.MouseDown[0] = false;
  io.KeyCtrl = io.KeyShift = false;
  io.MousePos = target_.x >= 0 ? target_ : ImVec2(-FLT_MAX, -FLT_MAX);
  if (finished_) return;
  const ScriptStep& step = steps_[index_];
  using K = ScriptStep::Kind;
  if ((step.kind == K::kClick || step.kind == K::kDoubleClick) && target_.x >= 0) {
    // phase 1: hover; 2: press; 3: release; (double) 4: press; 5: release.
    if (phase_ == 2 || phase_ == 4) io.MouseDown[0] = true;
  }
  if (step.kind == K::kKey && phase_ == 1) {
    KeyChord chord;
    ParseKeyChord(step.arg, &chord);
    io.KeysDown[chord.key] = true;
    held_keys_.push_back(chord.key);
    io.KeyCtrl = chord.ctrl;
    io.KeyShift = chord.shift;
  }
  if (step.kind == K::kScroll && phase_ == 0) io.MouseWheel = -static_cast<float>(step.frames);
  if (step.kind == K::kType && phase_ == 0) {
    io.AddInputCharactersUTF8(step.arg.c_str());
  }
}

void ScriptPlayer::AfterFrame(const ItemRegistry& items, std::string_view rendered_text) {
  if (finished_) return;
  if (hooks_.screen_problem) {
    if (std::string problem = hooks_.screen_problem(rendered_text); !problem.empty()) {
      Fail(problem);
      return;
    }
  }
  ++step_frames_;
  if (!hooks_.busy || !hooks_.busy()) ++quiet_frames_;
  const ScriptStep& step = steps_[index_];
  using K = ScriptStep::Kind;
  switch (step.kind) {
    case K::kWait:
      if (step_frames_ > step.frames) Next();
      break;
    case K::kIdle:
      if (!hooks_.busy || !hooks_.busy()) {
        Next();
      } else if (std::chrono::steady_clock::now() - step_started_ > std::chrono::minutes(10)) {
        Fail("background work did not finish within 10 minutes");
      }
      break;
    case K::kClick:
    case K::kDoubleClick:
    case K::kHover: {
      const int last_phase = step.kind == K::kClick ? 3 : step.kind == K::kHover ? 1 : 5;
      if (phase_ == 0) {
        const TrackedItem* item = items.Find(step.arg);
        if (item == nullptr) {
          if (quiet_frames_ > timeout_frames_) Fail("no widget " + step.arg);
          break;
        }
        target_ = ImVec2((item->min.x + item->max.x) * 0.5f, (item->min.y + item->max.y) * 0.5f);
        phase_ = 1;
      } else if (phase_ < last_phase) {
        ++phase_;
      } else {
        Next();
      }
      break;
    }
    case K::kType:
    case K::kScroll:
      Next();
      break;
    case K::kKey:
      if (phase_ < 2) {
        ++phase_;
      } else {
        Next();
      }
      break;
    case K::kExpect:
      if (rendered_text.find(step.arg) != std::string_view::npos) {
        Next();
      } else if (quiet_frames_ > timeout_frames_) {
        Fail("text not shown: " + step.arg);
      }
      break;
    case K::kExpectNot:
      if (rendered_text.find(step.arg) != std::string_view::npos) {
        Fail("text shown but should not be: " + step.arg);
      } else {
        Next();
      }
      break;
    case K::kExpectFocus: {
      const ImGuiID active = GImGui != nullptr ? GImGui->ActiveId : 0;
      const TrackedItem* item = items.Find(step.arg);
      if (item != nullptr && active != 0 && item->imgui_id == active) {
        Next();
      } else if (quiet_frames_ > timeout_frames_) {
        std::string where = "nothing";
        for (const auto& other : items.items()) {
          if (active != 0 && other.imgui_id == active) {
            where = other.id.empty() ? other.label : "#" + other.id;
          }
        }
        Fail(item == nullptr ? "no widget " + step.arg
                             : "focus not on " + step.arg + " but on " + where);
      }
      break;
    }
    case K::kScreenshot:
      if (hooks_.screenshot) {
        auto r = hooks_.screenshot(step.arg);
        if (!r.ok()) {
          Fail(r.error().message);
          break;
        }
      }
      Next();
      break;
    case K::kLang:
      if (hooks_.set_language) hooks_.set_language(step.arg);
      Next();
      break;
    case K::kMeasure:
      if (hooks_.start_measuring) hooks_.start_measuring();
      Next();
      break;
    case K::kSyncDone:
      // A sync ran and the views it refreshed arrived (App: the sync's window of frames closed).
      if (hooks_.syncs_finished && hooks_.syncs_finished() > 0) {
        Next();
      } else if (std::chrono::steady_clock::now() - step_started_ > std::chrono::minutes(10)) {
        Fail("no sync finished within 10 minutes");
      }
      break;
    case K::kQuit:
      finished_ = true;
      break;
  }
}

namespace {
bool g_capture_active = false;
std::string g_captured;
}  // namespace

void BeginTextCapture() {
  g_captured.clear();
  g_capture_active = true;
  ResumeTextCapture();
}

void ResumeTextCapture() {
  ImGuiContext& g = *GImGui;
  if (!g_capture_active || g.LogEnabled) return;
  g.LogBuffer.clear();
  // Depth 0: logging must not force tree nodes open.
  ImGui::LogToBuffer(0);
}

void HarvestTextCapture() {
  ImGuiContext& g = *GImGui;
  if (!g_capture_active || !g.LogEnabled || g.LogType != ImGuiLogType_Buffer) return;
  g_captured.append(g.LogBuffer.c_str(), static_cast<std::size_t>(g.LogBuffer.size()));
  g_captured.push_back('\n');
  g.LogBuffer.clear();
}

std::string EndTextCapture() {
  HarvestTextCapture();
  ImGuiContext& g = *GImGui;
  if (g.LogEnabled && g.LogType == ImGuiLogType_Buffer) ImGui::LogFinish();
  g_capture_active = false;
  return std::move(g_captured);
}

}  // namespace lietvedis::ui
