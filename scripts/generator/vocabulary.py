"""Names, places, catalogue words and traffic sources the simulated world draws from."""
from __future__ import annotations

FIRST_NAMES = {
    "F": ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
          "Nancy", "Lisa", "Margaret", "Sandra", "Ashley", "Emily", "Donna", "Michelle", "Carol", "Amanda",
          "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sophie", "Emma", "Olivia", "Charlotte", "Hannah",
          "Anna", "Lea", "Camille", "Lucia", "Sofia", "Giulia", "Katherine", "Christine", "Victoria", "Alexandra"],
    "M": ["James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles",
          "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Joshua", "Kenneth",
          "Kevin", "Brian", "George", "Timothy", "Edward", "Oliver", "Harry", "Jack", "Lukas", "Felix", "Louis",
          "Hugo", "Pablo", "Marco", "Alessandro", "Jonathan", "Nicholas", "Benjamin", "Samuel", "Alexander"],
}
FIRST_NAMES["X"] = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Robin", "Jamie"]
NICKNAMES = {"Robert": "Bob", "William": "Bill", "Richard": "Dick", "Joseph": "Joe", "Thomas": "Tom",
             "Charles": "Charlie", "Christopher": "Chris", "Daniel": "Dan", "Matthew": "Matt", "Anthony": "Tony",
             "Michael": "Mike", "David": "Dave", "James": "Jim", "Steven": "Steve", "Andrew": "Andy",
             "Joshua": "Josh", "Kenneth": "Ken", "Timothy": "Tim", "Edward": "Ed", "Jonathan": "Jon",
             "Nicholas": "Nick", "Benjamin": "Ben", "Samuel": "Sam", "Alexander": "Alex", "Elizabeth": "Liz",
             "Patricia": "Pat", "Jennifer": "Jen", "Margaret": "Maggie", "Katherine": "Kate",
             "Christine": "Chris", "Victoria": "Vicky", "Alexandra": "Alex", "Rebecca": "Becky",
             "Deborah": "Debbie", "Stephanie": "Steph", "Susan": "Sue", "Jessica": "Jess", "Amanda": "Mandy"}
LAST_NAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
              "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
              "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
              "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
              "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
              "Carter", "Roberts", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Moreau",
              "Laurent", "Rossi", "Russo", "Ferrari", "Jansen", "de Vries", "Murphy", "Kelly", "O'Brien",
              "Fernandez", "Ruiz", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Rogers", "Reed", "Cook",
              "Morgan", "Bell", "Murray", "Cooper", "Richardson", "Cox", "Howard", "Ward", "Peterson", "Gray",
              "Ramsey", "James", "Watson", "Brooks", "Kelley", "Sanders", "Price", "Bennett", "Wood", "Barnes"]
EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "aol.com",
                 "gmx.de", "orange.fr", "btinternet.com", "mail.com", "fastmail.com"]
COUNTRIES = [  # country, weight, calling code, trunk prefix, language, currency, (region, city, postal prefix)
    ("US", 58, "1", "", "en", "USD", [("CA", "Los Angeles", "900"), ("NY", "New York", "100"),
                                      ("TX", "Austin", "787"), ("IL", "Chicago", "606"), ("WA", "Seattle", "981"),
                                      ("FL", "Miami", "331"), ("MA", "Boston", "021")]),
    ("GB", 12, "44", "0", "en", "GBP", [("England", "London", "SW1"), ("England", "Manchester", "M1"),
                                        ("Scotland", "Edinburgh", "EH1")]),
    ("DE", 8, "49", "0", "de", "EUR", [("BE", "Berlin", "101"), ("BY", "Munich", "803"),
                                       ("HH", "Hamburg", "203")]),
    ("FR", 6, "33", "0", "fr", "EUR", [("IDF", "Paris", "750"), ("ARA", "Lyon", "690")]),
    ("CA", 6, "1", "", "en", "CAD", [("ON", "Toronto", "M5V"), ("BC", "Vancouver", "V6B")]),
    ("ES", 5, "34", "", "es", "EUR", [("MD", "Madrid", "280"), ("CT", "Barcelona", "080")]),
    ("NL", 5, "31", "0", "nl", "EUR", [("NH", "Amsterdam", "101"), ("ZH", "Rotterdam", "301")]),
]
COUNTRY_BY_CODE = {c[0]: c for c in COUNTRIES}
CATEGORIES = {"Outdoor": ["Tent", "Backpack", "Hiking Boots", "Rain Jacket", "Sleeping Bag", "Headlamp"],
              "Electronics": ["Headphones", "Smart Watch", "Speaker", "Charger", "E-Reader", "Keyboard"],
              "Home": ["Coffee Maker", "Blender", "Lamp", "Throw Blanket", "Cookware Set", "Candle"],
              "Apparel": ["T-Shirt", "Hoodie", "Jeans", "Sneakers", "Cap", "Socks"],
              "Beauty": ["Face Cream", "Shampoo", "Perfume", "Lip Balm", "Serum", "Sunscreen"]}
ADJECTIVES = ["Classic", "Pro", "Ultra", "Eco", "Essential", "Premium", "Lite", "Urban", "Trail", "Nova"]
CAMPAIGN_TYPES = {"Email": ("newsletter", "email"), "Social": ("facebook", "paid_social"),
                  "Display": ("gdn", "display"), "Search": ("google", "cpc")}
SOCIAL_SOURCES = ["facebook", "instagram", "tiktok"]
PAGES = ["/", "/products", "/products/{p}", "/cart", "/checkout", "/account", "/search", "/blog/guide",
         "/sale", "/help"]
AUDIENCES = ["VIP lapsed 90d", "New subscribers", "Cart abandoners", "All opted-in", "Lookalike 1%",
             "Loyalty Gold+", "Prospects EU", "High intent search"]
AGENTS = [f"AGT-{i:03d}" for i in range(1, 41)]
REFERRERS = {"organic": ["https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/"],
             "referral": ["https://www.reddit.com/r/deals", "https://blog.example.net/review",
                          "https://news.example.com/gift-guide"]}
