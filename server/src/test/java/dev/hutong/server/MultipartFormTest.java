package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The multipart parser on the shapes clients send, and on broken and oversized bodies. */
class MultipartFormTest {
  private static final String B = "----abc123";

  @Test
  void readsTheSdksShapeWithoutSpacesAndAPreambleCrlf() throws Exception {
    byte[] body = ("\r\n--" + B + "\r\nContent-Disposition:form-data;name=\"version_desc\"\r\n"
        + "Content-Type:text/plain\r\n\r\n面条 & more\r\n--" + B + "\r\n"
        + "Content-Disposition:form-data;name=\"first_screen_shot\";filename=\"a.png\"\r\n"
        + "Content-Type:image/png\r\n\r\n\u0089PNG\r\n--" + B + "--\r\n")
        .getBytes(StandardCharsets.UTF_8);
    MultipartForm form = MultipartForm.parse(body,
        MultipartForm.boundary("multipart/form-data;boundary=" + B + ";charset=UTF-8"));
    assertThat(new String(form.formBody(), StandardCharsets.US_ASCII))
        .isEqualTo("version_desc=%E9%9D%A2%E6%9D%A1%20%26%20more");
    assertThat(form.files()).hasSize(1);
    assertThat(form.files().get(0).name()).isEqualTo("first_screen_shot");
    assertThat(form.files().get(0).filename()).isEqualTo("a.png");
    assertThat(form.files().get(0).contentType()).isEqualTo("image/png");
  }

  @Test
  void readsTheBrowsersShapeWithSpacesAndQuotedBoundary() throws Exception {
    byte[] body = ("--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--"
        + B + "\r\ncontent-disposition: form-data; name=\"b\"\r\n\r\n\r\n--" + B + "--")
        .getBytes(StandardCharsets.UTF_8);
    MultipartForm form = MultipartForm.parse(body,
        MultipartForm.boundary("Multipart/Form-Data; boundary=\"" + B + "\""));
    assertThat(new String(form.formBody(), StandardCharsets.US_ASCII)).isEqualTo("a=1&b=");
    assertThat(form.files()).isEmpty();
  }

  @Test
  void otherContentTypesAreNotMultipart() throws Exception {
    assertThat(MultipartForm.boundary("application/x-www-form-urlencoded;charset=UTF-8"))
        .isNull();
    assertThat(MultipartForm.boundary(null)).isNull();
  }

  @Test
  void refusesBrokenBodiesWithTheReason() {
    assertRefused("multipart/form-data", "", "has no boundary");
    assertRefused("multipart/form-data;boundary=" + "x".repeat(71), "", "boundary must be");
    assertRefused("multipart/form-data;boundary=" + B, "no delimiter here", "no part");
    assertRefused("multipart/form-data;boundary=" + B, "--" + B + "\r\nContent-Disposition:"
        + "form-data;name=\"a\"\r\n\r\nunterminated", "closing delimiter");
    assertRefused("multipart/form-data;boundary=" + B, "--" + B + "\r\nContent-Type:text/plain"
        + "\r\n\r\nx\r\n--" + B + "--", "no Content-Disposition");
    assertRefused("multipart/form-data;boundary=" + B, "--" + B + "\r\nContent-Disposition:"
        + "form-data;name=\"a\"\r\n\r\n1\r\n--" + B + "\r\nContent-Disposition:form-data;"
        + "name=\"a\"\r\n\r\n2\r\n--" + B + "--", "appears twice");
    assertRefused("multipart/form-data;boundary=" + B, "--" + B + "\r\nX-Long:"
        + "y".repeat(MultipartForm.PART_HEADER_BYTES_MAX) + "\r\n\r\n\r\n--" + B + "--",
        "headers are missing their end or longer");
  }

  @Test
  void boundsPartsAndFiles() throws Exception {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= MultipartForm.PARTS_MAX; i++) {
      many.append("--").append(B).append("\r\nContent-Disposition:form-data;name=\"f").append(i)
          .append("\"\r\n\r\nv\r\n");
    }
    many.append("--").append(B).append("--");
    assertRefused("multipart/form-data;boundary=" + B, many.toString(), "more than "
        + MultipartForm.PARTS_MAX + " parts");

    ByteArrayOutputStream big = new ByteArrayOutputStream();
    big.writeBytes(("--" + B + "\r\nContent-Disposition:form-data;name=\"f\";filename=\"x\""
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    big.writeBytes(new byte[MultipartForm.FILE_BYTES_MAX + 1]);
    big.writeBytes(("\r\n--" + B + "--").getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> MultipartForm.parse(big.toByteArray(), B))
        .isInstanceOf(MultipartForm.Malformed.class).hasMessageContaining("at most");
  }

  private static void assertRefused(String contentType, String body, String reason) {
    assertThatThrownBy(() -> {
      String boundary = MultipartForm.boundary(contentType);
      MultipartForm.parse(body.getBytes(StandardCharsets.UTF_8), boundary);
    }).isInstanceOf(MultipartForm.Malformed.class).hasMessageContaining(reason);
  }
}
