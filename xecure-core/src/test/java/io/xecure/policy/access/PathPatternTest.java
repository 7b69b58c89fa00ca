package io.xecure.policy.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    // literals: whole segments, case-sensitive
    "/users,            /users,             true",
    "/users,            /users/,            true",
    "/users,            /Users,             false",
    "/users,            /users1,            false",
    "/users,            /user,              false",
    "/users,            /users/1,           false",
    "/users/,           /users,             true",
    "/users/me,         /users/me,          true",
    "/users/me,         /users/mee,         false",
    "/,                 /,                  true",
    "/,                 /a,                 false",
    // * is exactly one non-empty segment
    "/users/*,          /users/1,           true",
    "/users/*,          /users/1/,          true",
    "/users/*,          /users,             false",
    "/users/*,          /users/,            false",
    "/users/*,          /users/1/2,         false",
    "/users/*/orders,   /users/7/orders,    true",
    "/users/*/orders,   /users/orders,      false",
    "/users/*/orders,   /users/7/8/orders,  false",
    "/*,                /,                  false",
    "/*,                /x,                 true",
    // ** is any number of segments, zero included
    "/users/**,         /users,             true",
    "/users/**,         /users/,            true",
    "/users/**,         /users/1,           true",
    "/users/**,         /users/1/orders/2,  true",
    "/users/**,         /usersx,            false",
    "/users/**,         /usersx/1,          false",
    "/users/**,         /admin/users/1,     false",
    "/**,               /,                  true",
    "/**,               /anything/at/all,   true",
    "/**/admin,         /admin,             true",
    "/**/admin,         /a/b/admin,         true",
    "/**/admin,         /a/b/admin/x,       false",
    "/**/admin/**,      /a/admin/b/c,       true",
    "/users/**/orders,  /users/orders,      true",
    "/users/**/orders,  /users/1/orders,    true",
    "/users/**/orders,  /users/1/2/orders,  true",
    "/users/**/orders,  /users/1/orders/x,  false",
    "/a/**/b/*,         /a/x/b/y/b/z,       true",
    "/a/**/b/*,         /a/x/b/y/b,         false",
    "/a/**/b/*,         /a/x/b/y,           true",
    "/a/**/b/*,         /a/x/b,             false",
    "/a/**/**/b,        /a/b,               true",
    "/a/**/*/c,         /a/b/c,             true",
    "/a/**/*/c,         /a/c,               false",
    // patterns are canonicalised like requests
    "/a/%7euser,        /a/~user,           true",
    "/a//b/./c,         /a/b/c,             true",
    "/a/x/../b,         /a/b,               true",
    "/files/%c3%a9,     /files/%C3%A9,      true",
    "/users/%40me,      /users/@me,         true",
    "/users/@me,        /users/@me,         true",
    "/a/%3a%2b%3d,      /a/:+=,             true",
    "/a/{id},           /a/%7Bid%7D,        true",
  })
  void matches(String pattern, String path, boolean expected) {
    assertThat(PathPattern.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "users",
        "/a/b*",
        "/a/*b",
        "/a/***",
        "/a;b",
        "/a/%2F",
        "/..",
        "/a?x",
        "/a/%2A",
        "/a/%2a/b"
      })
  void refusesWhatCouldNeverMatchACanonicalPath(String pattern) {
    assertThatThrownBy(() -> PathPattern.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pattern);
  }

  @org.junit.jupiter.api.Test
  void manyDoubleStarsStayLinearEnough() {
    PathPattern p = PathPattern.compile("/**/a/**/a/**/a/**/b");
    String path = "/a".repeat(2000);
    assertThat(p.matches(path)).isFalse();
    assertThat(p.matches(path + "/b")).isTrue();
  }
}
