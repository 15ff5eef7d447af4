package dev.hutong.miniapp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The platform's app categories: the slug stored and filtered on, and a display name. */
public final class Categories {
  public static final Map<String, String> ALL;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("movies", "Movies & cinemas");
    m.put("food", "Food & restaurants");
    m.put("real_estate", "Real estate & rentals");
    m.put("hotels", "Hotels & stays");
    m.put("travel", "Travel & tickets");
    m.put("transport", "Transport & taxis");
    m.put("shopping", "Shopping & retail");
    m.put("groceries", "Groceries & markets");
    m.put("health", "Health & clinics");
    m.put("beauty", "Beauty & salons");
    m.put("fitness", "Fitness & sports");
    m.put("education", "Education & classes");
    m.put("entertainment", "Entertainment & events");
    m.put("services", "Home & local services");
    m.put("finance", "Finance & bills");
    m.put("government", "City & government services");
    m.put("general", "Other");
    ALL = java.util.Collections.unmodifiableMap(m);
  }

  private Categories() {}

  public static Set<String> slugs() {
    return ALL.keySet();
  }

  public static boolean isKnown(String slug) {
    return ALL.containsKey(slug);
  }
}
