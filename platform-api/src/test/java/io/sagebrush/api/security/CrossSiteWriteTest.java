package io.sagebrush.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class CrossSiteWriteTest {

  private static MockHttpServletRequest post() {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", "/api/v1/training-jobs");
    r.addHeader("Host", "localhost:8080");
    return r;
  }

  @Test
  void aFormPostFromAnotherSiteIsCrossSite() {
    MockHttpServletRequest r = post();
    r.addHeader("Origin", "https://evil.example");
    assertThat(AuthenticationFilter.crossSiteWrite(r)).isTrue();
  }

  @Test
  void aBrowserThatSaysCrossSiteOrSameSiteIsRefusedEvenWithoutOrigin() {
    MockHttpServletRequest cross = post();
    cross.addHeader("Sec-Fetch-Site", "cross-site");
    MockHttpServletRequest sameSite = post();
    sameSite.addHeader("Sec-Fetch-Site", "same-site");
    assertThat(AuthenticationFilter.crossSiteWrite(cross)).isTrue();
    assertThat(AuthenticationFilter.crossSiteWrite(sameSite)).isTrue();
  }

  @Test
  void curlAndSdksSendNoOriginAndPass() {
    assertThat(AuthenticationFilter.crossSiteWrite(post())).isFalse();
  }

  @Test
  void aPageOfTheServerItselfMayPost() {
    MockHttpServletRequest r = post();
    r.addHeader("Origin", "http://localhost:8080");
    r.addHeader("Sec-Fetch-Site", "same-origin");
    assertThat(AuthenticationFilter.crossSiteWrite(r)).isFalse();
  }

  @Test
  void readsAreNeverRefused() {
    MockHttpServletRequest r = new MockHttpServletRequest("GET", "/api/v1/training-jobs");
    r.addHeader("Origin", "https://evil.example");
    r.addHeader("Sec-Fetch-Site", "cross-site");
    assertThat(AuthenticationFilter.crossSiteWrite(r)).isFalse();
  }
}
