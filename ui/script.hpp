// Scripted input: drives the real application through ImGui's input state, for tests under
// Xvfb and for reproducing a bug report step by step.
//
// Format (UTF-8 text, one step per line; '#' starts a comment line; arguments with spaces in
// double quotes, \" and \\ escaped):
//   wait N                 let N frames pass
//   idle                   wait until no background task is queued or running (at most 10 min)
//   click TARGET           move the mouse onto a tracked widget and click it (left button)
//   doubleclick TARGET
//   hover TARGET           move the mouse onto a tracked widget without clicking
//   scroll N               turn the mouse wheel N notches down (negative: up) where the mouse is
//   type "TEXT"            type characters into the focused input (UTF-8)
//   key NAME               press and release a key: Enter Tab Escape Backspace Delete Up Down
//                          Left Right Home End PageUp PageDown; "ctrl+a" style chords allowed
//   expect "TEXT"          the text must be drawn (visible, not clipped) within the timeout
//   expect_not "TEXT"      the text must not be drawn this frame
//   expect_focus TARGET    the widget must hold the keyboard focus (the text field being
//                          edited) within the timeout; the failure names the focused widget
//   screenshot "FILE"      save the framebuffer as PNG
//   lang lv|en             switch the UI language
//   quit                   end the run (exit code 0 unless a step failed)
// TARGET: a widget's visible label ("Saglabāt"), "Window/label", or "#id" (the part after
// "###" in the label). Steps that wait for something (click, expect) give up after
// `timeout_frames` frames in which no background job was running (a slow unlock or a large
// demo seeding does not use up the timeout), and fail the script naming the step's line.
//
// Threading: main thread. The App calls BeforeNewFrame() between the backend's NewFrame and
// ImGui::NewFrame(), and AfterFrame() after ImGui::Render().
#pragma once

#include <imgui.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"

namespace lietvedis::ui {

class ItemRegistry;

struct ScriptStep {
  enum class Kind {
    kWait,
    kIdle,
    kClick,
    kDoubleClick,
    kHover,
    kScroll,
    kType,
    kKey,
    kExpect,
    kExpectNot,
    kExpectFocus,
    kScreenshot,
    kLang,
    kMeasure,
    kSyncDone,
    kQuit
  };
  Kind kind = Kind::kWait;
  std::string arg;
  int frames = 0;
  int line = 0;
};

// Parses a script. Errors: kValidation naming the line and the problem.
Result<std::vector<ScriptStep>> ParseScript(std::string_view text);

// Maps a key name ("Enter", "ctrl+a") to ImGui key-map indices: the GLFW key plus modifier
// flags. Returns false for an unknown name.
struct KeyChord {
  int key = 0;  // GLFW key code
  bool ctrl = false, shift = false;
};
bool ParseKeyChord(std::string_view name, KeyChord* out);

class ScriptPlayer {
 public:
  struct Hooks {
    std::function<bool()> busy;                                  // background work pending?
    std::function<Result<void>(const std::string&)> screenshot;  // after Render()
    std::function<void(std::string_view)> set_language;
    std::function<void()> start_measuring;  // `measure`: frame figures count from here
    std::function<int()> syncs_finished;    // `sync_done`: syncs finished since the start
    // Called after every frame with the text drawn (empty unless an expect step captured it);
    // a non-empty answer (a raw enum code, an untranslated message) fails the script.
    std::function<std::string(std::string_view)> screen_problem;
  };

  ScriptPlayer(std::vector<ScriptStep> steps, Hooks hooks, int timeout_frames = 600);

  // Feeds this frame's synthetic input into `io` (overrides the real mouse and keys).
  void BeforeNewFrame(ImGuiIO& io);
  // Advances the script from what the frame drew: the tracked widgets and the rendered text.
  void AfterFrame(const ItemRegistry& items, std::string_view rendered_text);

  // Whether this frame's drawn text is needed (an expect step is running). Capturing text
  // turns on ImGui logging, which makes ImGuiListClipper submit every row, so it is enabled
  // only for the steps that read it.
  bool WantsText() const;
  bool finished() const { return finished_; }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void Fail(const std::string& message);
  void Next();

  std::vector<ScriptStep> steps_;
  Hooks hooks_;
  int timeout_frames_;
  std::size_t index_ = 0;
  int step_frames_ = 0;   // frames spent on the current step
  int quiet_frames_ = 0;  // of those, frames with no background job running
  std::chrono::steady_clock::time_point step_started_ = std::chrono::steady_clock::now();
  int phase_ = 0;  // sub-state of click/key/type
  ImVec2 target_{-1, -1};
  bool finished_ = false;
  std::string error_;
  std::vector<int> held_keys_;
};

// Text drawn this frame, captured through ImGui's logging (LogToBuffer). Call Begin right
// after ImGui::NewFrame() and End after the last window of the frame has ended; End returns
// the text. ImGui stops logging whenever a top-level window (root, popup, combo, tooltip)
// ends, so the widgets in ui/widgets.hpp that end such windows call HarvestTextCapture()
// before and ResumeTextCapture() after; the root window harvests before its End().
void BeginTextCapture();
void HarvestTextCapture();
void ResumeTextCapture();
std::string EndTextCapture();

}  // namespace lietvedis::ui
