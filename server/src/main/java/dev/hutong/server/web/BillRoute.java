package dev.hutong.server.web;

import dev.hutong.openapi.BillDownloads;
import dev.hutong.pay.Statements;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /bill/download?...}: the statement behind a link from
 * alipay.data.dataservice.bill.downloadurl.query. The link is the credential (signed, 30 s); an
 * altered or expired one is 403 and says so.
 */
public final class BillRoute implements Routes {
  private final BillDownloads downloads;
  private final Statements statements;

  public BillRoute(BillDownloads downloads, Statements statements) {
    this.downloads = downloads;
    this.statements = statements;
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing.get(BillDownloads.PATH, this::serve);
  }

  private void serve(ServerRequest request, ServerResponse response) {
    Map<String, String> query = new HashMap<>();
    for (String name : request.query().names()) {
      request.query().first(name).ifPresent(v -> query.put(name, v));
    }
    Optional<BillDownloads.Bill> bill = downloads.verify(query);
    response.header(HeaderNames.CACHE_CONTROL, "no-store");
    if (bill.isEmpty()) {
      response.status(Status.FORBIDDEN_403);
      response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.send("this download link is altered or expired (links live 30 seconds): ask for a new one");
      return;
    }
    BillDownloads.Bill b = bill.get();
    String csv = b.monthly() ? statements.month(b.merchantId(), b.month())
        : statements.day(b.merchantId(), b.day());
    response.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
    response.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + b.merchantId()
        + "_" + b.billDate() + ".csv\"");
    response.send(csv.getBytes(StandardCharsets.UTF_8));
  }
}
