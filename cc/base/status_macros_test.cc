#include "cc/base/status_macros.h"

#include "gtest/gtest.h"

namespace ouzel {
namespace {

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("odd");
  return x / 2;
}

absl::Status CheckEven(int x) { return Half(x).status(); }

absl::StatusOr<int> Quarter(int x) {
  OUZEL_ASSIGN_OR_RETURN(int half, Half(x));
  OUZEL_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

absl::Status BothEven(int a, int b, int* calls) {
  ++*calls;
  OUZEL_RETURN_IF_ERROR(CheckEven(a));
  ++*calls;
  OUZEL_RETURN_IF_ERROR(CheckEven(b));
  ++*calls;
  return absl::OkStatus();
}

TEST(StatusMacros, AssignOrReturn_PassesValueThrough) { EXPECT_EQ(*Quarter(8), 2); }

TEST(StatusMacros, AssignOrReturn_StopsAtFirstError) {
  auto r = Quarter(6);  // 6 -> 3 -> error
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
}

TEST(StatusMacros, ReturnIfError_StopsAtFirstError) {
  int calls = 0;
  EXPECT_TRUE(BothEven(2, 4, &calls).ok());
  EXPECT_EQ(calls, 3);
  calls = 0;
  EXPECT_EQ(BothEven(1, 4, &calls).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calls, 1);
}

TEST(StatusMacros, AssignOrReturn_AssignsToExistingVariable) {
  auto f = []() -> absl::Status {
    int v = 0;
    OUZEL_ASSIGN_OR_RETURN(v, Half(10));
    return v == 5 ? absl::OkStatus() : absl::InternalError("wrong");
  };
  EXPECT_TRUE(f().ok());
}

}  // namespace
}  // namespace ouzel
