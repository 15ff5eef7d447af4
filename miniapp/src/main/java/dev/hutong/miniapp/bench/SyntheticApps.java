package dev.hutong.miniapp.bench;

import dev.hutong.miniapp.search.AppDocument;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic mini-programs across the platform's categories: app {@code i} is the
 * same for the same seed whichever thread makes it and in whatever order, so the query set can
 * name real apps without keeping 1.7 million of them in memory.
 */
public final class SyntheticApps {
  record Category(String slug, String[] nouns, String[] keywords, String[] pitches) {}

  static final Category[] CATEGORIES = {
      new Category("movies", words("Cinema", "Cineplex", "Movie House", "Film Center",
          "Picture Palace", "IMAX Theater", "Screening Room"), words("movie tickets",
          "showtimes", "seat selection", "IMAX", "3D", "popcorn"), words(
          "Book seats for the latest blockbusters and indie films",
          "Pick your seats on the map and skip the ticket queue",
          "Showtimes, trailers and member prices for every screen")),
      new Category("food", words("Noodle House", "Dumpling Bar", "Hotpot", "Kitchen", "Bistro",
          "Tea House", "BBQ", "Bakery", "Canteen"), words("table booking", "set menu",
          "hand-pulled noodles", "dim sum", "spicy", "vegetarian"), words(
          "Reserve a table, order ahead and pay at your seat",
          "Hand-made dishes from a family recipe, with lunch specials",
          "Skip the wait: join the queue online and prepay your meal")),
      new Category("real_estate", words("Realty", "Homes", "Property Agency", "Apartments",
          "Estate Agents", "Rentals"), words("apartments for rent", "viewings", "deposit",
          "listings", "two-bedroom", "lease"), words(
          "Browse listings, book a viewing and hold a deposit in escrow",
          "Rent or buy apartments with verified photos and floor plans",
          "Short and long leases near metro stations")),
      new Category("hotels", words("Hotel", "Inn", "Guesthouse", "Hostel", "Suites"),
          words("rooms", "check-in", "breakfast", "late checkout", "family room"), words(
          "Book rooms with breakfast and free cancellation",
          "Quiet rooms in the old town, check in from your phone")),
      new Category("transport", words("Taxi", "Cab Co", "Bike Share", "Car Rental", "Shuttle"),
          words("airport transfer", "ride", "bike", "rental car", "fare estimate"), words(
          "Hail a ride in seconds and pay the metered fare in the app",
          "Airport transfers and hourly drivers at fixed prices")),
      new Category("shopping", words("Boutique", "Department Store", "Outlet", "Fashion",
          "Electronics"), words("sale", "coupons", "new arrivals", "delivery", "members"), words(
          "New arrivals every week, members save on every order",
          "Shop the outlet online and pick up in store")),
      new Category("groceries", words("Market", "Supermarket", "Fresh Mart", "Grocer",
          "Fruit Shop"), words("fresh vegetables", "fruit", "same-day delivery", "seafood"),
          words("Fresh produce delivered the same day", "Order groceries and collect them"
              + " at the counter")),
      new Category("health", words("Clinic", "Pharmacy", "Dental Care", "Medical Center",
          "Eye Care"), words("appointments", "doctor", "prescriptions", "checkup"), words(
          "Book an appointment with a doctor and pay the registration fee",
          "Prescriptions ready for pickup, with reminders")),
      new Category("beauty", words("Salon", "Barber", "Spa", "Nail Studio", "Beauty Bar"),
          words("haircut", "massage", "manicure", "facial"), words(
          "Book a haircut or a massage with your favourite stylist",
          "Walk-in times and member packages")),
      new Category("fitness", words("Gym", "Yoga Studio", "Fitness Club", "Swim Center",
          "Boxing Gym"), words("classes", "personal trainer", "membership", "yoga"), words(
          "Book classes, check in with a code and track your visits",
          "Monthly memberships and drop-in passes")),
      new Category("education", words("Academy", "Tutoring", "Language School", "Music School",
          "Coding Class"), words("courses", "trial lesson", "English", "piano", "math"), words(
          "Book a trial lesson and pay tuition by the term",
          "Small classes with certified teachers")),
      new Category("entertainment", words("KTV", "Karaoke", "Escape Room", "Arcade", "Bowling"),
          words("private rooms", "group booking", "night", "games"), words(
          "Book a private room for your group and order snacks",
          "Games, prizes and party packages")),
      new Category("services", words("Laundry", "Repairs", "Cleaning", "Movers", "Plumbing"),
          words("home service", "pickup", "same day", "quote"), words(
          "Same-day home services with upfront quotes",
          "Schedule a pickup and pay when it is done")),
      new Category("travel", words("Travel", "Tours", "Ticketing", "Rail Tickets"),
          words("train tickets", "day trips", "tour guide", "flights"), words(
          "Day trips and guided tours with hotel pickup",
          "Train and bus tickets with seat selection")),
  };

  static final String[] BRANDS = words("Golden", "Jade", "Red Lantern", "Lucky", "Dragon",
      "Phoenix", "Harmony", "Sunrise", "Blue Sky", "Old Town", "Happy", "Lotus", "Silk Road",
      "Panda", "Pearl", "Orchid", "Bamboo", "Crane", "Summit", "Maple", "River", "Cloud", "Star",
      "Moon", "Plum Blossom", "East Gate", "West Lake", "North Star", "Great Wall", "Hutong",
      "Willow", "Tiger", "Peony", "Emerald", "Silver", "Spring", "Autumn", "Harbor", "Garden",
      "Imperial", "Courtyard", "Lantern", "Ocean", "Mountain", "Sky", "Ruby", "Crystal",
      "Heritage", "Metro", "City");
  static final String[] CITIES = words("Beijing", "Shanghai", "Guangzhou", "Shenzhen",
      "Chengdu", "Hangzhou", "Wuhan", "Xi'an", "Nanjing", "Chongqing", "Tianjin", "Suzhou",
      "Qingdao", "Xiamen", "Kunming", "Dalian", "Harbin", "Changsha", "Zhengzhou", "Jinan");
  static final String[] DISTRICTS = words("Chaoyang", "Haidian", "Xicheng", "Dongcheng",
      "Pudong", "Jing'an", "Xuhui", "Tianhe", "Futian", "Nanshan", "Jinjiang", "Wuhou",
      "Xihu", "Binjiang", "Jianghan", "Yanta", "Gulou", "Yuzhong", "Heping", "Gusu",
      "Shinan", "Siming", "Wuhua", "Zhongshan", "Daoli", "Yuelu", "Jinshui", "Lixia",
      "Riverside", "Old Town", "Station", "University", "Airport", "Harbour", "Central",
      "North", "South", "East", "West", "New District");
  private static final String[] COMPANY = words("Catering Co.", "Group", "Holdings",
      "Trading Co.", "Services Ltd.", "& Sons");

  private final long seed;

  public SyntheticApps(long seed) {
    this.seed = seed;
  }

  private SplittableRandom random(long i) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
  }

  /** App number {@code i}. */
  public AppDocument app(long i) {
    SplittableRandom r = random(i);
    Category c = CATEGORIES[r.nextInt(CATEGORIES.length)];
    String brand = pick(r, BRANDS) + " " + pick(r, BRANDS);
    String noun = pick(r, c.nouns());
    String district = pick(r, DISTRICTS);
    String city = pick(r, CITIES);
    String name = brand + " " + noun + " " + district;
    String k1 = pick(r, c.keywords());
    String k2 = pick(r, c.keywords());
    String description = pick(r, c.pitches()) + ". " + name + " in " + district + ", " + city
        + ": " + k1 + " and " + k2 + ", open daily from " + (7 + r.nextInt(5)) + " am.";
    long opens = (long) Math.exp(r.nextDouble() * 12);
    double pay = 0.7 + 0.3 * r.nextDouble();
    double rating = r.nextInt(5) == 0 ? 0 : 3 + 2 * r.nextDouble();
    return new AppDocument(String.valueOf(2_000_000_000_000_000L + i), name, description,
        k1.equals(k2) ? List.of(k1) : List.of(k1, k2), c.slug(), brand + " " + pick(r, COMPANY),
        city, "icon.png", opens, pay, rating);
  }

  private static String pick(SplittableRandom r, String[] options) {
    return options[r.nextInt(options.length)];
  }

  private static String[] words(String... w) {
    return w;
  }
}
