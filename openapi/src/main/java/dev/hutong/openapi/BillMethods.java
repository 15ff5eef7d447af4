package dev.hutong.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.openapi.gateway.GatewayError;
import dev.hutong.openapi.gateway.GatewayMethod;
import dev.hutong.openapi.gateway.GatewayResult;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * alipay.data.dataservice.bill.downloadurl.query: biz_content {@code bill_type} (trade or
 * signcustomer) and {@code bill_date} (a past yyyy-MM-dd or yyyy-MM, GMT+8); the answer's
 * {@code bill_download_url} fetches the app's merchant's statement as CSV for 30 seconds. Alipay's
 * errors: a malformed field is 40004 {@code isv.invalid-arguments}, a day with no bill yet
 * {@code isp.bill_not_exist}.
 */
final class BillMethods {
  static final String DOWNLOAD_URL_QUERY = "alipay.data.dataservice.bill.downloadurl.query";

  private final BillDownloads downloads;

  BillMethods(BillDownloads downloads) {
    this.downloads = downloads;
  }

  Map<String, GatewayMethod> methods() {
    return Map.of(DOWNLOAD_URL_QUERY, call -> {
      Biz b = new Biz(call.bizContent());
      String type;
      String date;
      try {
        type = b.text("bill_type");
        date = b.text("bill_date");
      } catch (dev.hutong.pay.TradeException e) {
        return GatewayError.businessFailed("isv.invalid-arguments", e.getMessage());
      }
      Optional<String> problem = downloads.problem(type, date);
      if (problem.isPresent()) {
        String code = problem.get().contains("does not exist") ? "isp.bill_not_exist"
            : "isv.invalid-arguments";
        return GatewayError.businessFailed(code, problem.get());
      }
      String url = downloads.url(new BillDownloads.Bill(UUID.fromString(call.app().merchantId()),
          type, date));
      ObjectNode fields = new Replies().text("bill_download_url", url).fields();
      return GatewayResult.success(fields);
    });
  }
}
