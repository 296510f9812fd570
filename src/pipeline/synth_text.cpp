// Phrase templates and topic fragments for synthetic transcriptions.
//
// The real transcriptions are "<who> <heard/read/learned> <where> [a claim] that <fact>" for claims
// and "<whose> <view/belief/...> is that <fact>" or "<who> <think/feel/...> that <fact>" for
// opinions, with the SAME pool of trivia facts in both classes: the class signal lives in the
// framing words, not in the topic. These fragments are our own wording in that style (none is a
// row of the real file). Facts use lower case, and a few carry commas, double quotes and
// non-ASCII letters (’ é ö) in about the real proportions so that the CSV quoting and UTF-8 paths
// are exercised.
#include "synth_text.hpp"

#include <array>
#include <cstddef>
#include <string_view>

namespace claimlens::detail {

namespace {

template <std::size_t N>
std::string_view pick(Random& rng, const std::array<std::string_view, N>& items) {
  return items[rng.uniform_int(N)];
}

// ---- claims -------------------------------------------------------------------------------
constexpr std::array<std::string_view, 6> kClaimWho = {"someone", "a friend",   "a colleague",
                                                       "i",       "a neighbor", "my cousin"};
constexpr std::array<std::string_view, 6> kClaimVerb = {"read",  "learned", "discovered",
                                                        "heard", "saw",     "found out"};
constexpr std::array<std::string_view, 12> kClaimWhere = {
    "in the media",   "in the news",     "on the news",        "on social media",
    "on a website",   "on a blog",       "on the radio",       "on tv",
    "from a podcast", "from the papers", "on a message board", "online"};
constexpr std::array<std::string_view, 3> kClaimLink = {"that", "that", "a claim that"};
constexpr std::array<std::string_view, 6> kReporter = {
    "the news reported", "a friend told me", "a colleague mentioned",
    "the radio claimed", "i was told",       "a newsletter said"};
constexpr std::array<std::string_view, 4> kFinder = {"discovered", "revealed", "proved",
                                                     "confirmed"};
constexpr std::array<std::string_view, 8> kClaimFixed = {
    "someone shared with me that",
    "someone shared with me a claim that",
    "i came across a report stating that",
    "a friend forwarded an article saying that",
    "a colleague located a study showing that",
    "someone located a report mentioning that",
    "i saw a documentary explaining that",
    "a friend sent me a story claiming that"};

void append_claim_frame(Random& rng, std::string& out) {
  const double form = rng.uniform();
  if (form < 0.68) {  // "<who> <verb> <where> [a claim] that"
    out += pick(rng, kClaimWho);
    out += ' ';
    out += pick(rng, kClaimVerb);
    out += ' ';
    out += pick(rng, kClaimWhere);
    out += ' ';
    out += pick(rng, kClaimLink);
  } else if (form < 0.84) {  // "<reporter> someone <found> that"
    out += pick(rng, kReporter);
    out += " someone ";
    out += pick(rng, kFinder);
    out += " that";
  } else {
    out += pick(rng, kClaimFixed);
  }
}

// ---- opinions -----------------------------------------------------------------------------
constexpr std::array<std::string_view, 5> kWhose = {"my", "our", "my friends'", "my family's",
                                                    "my colleagues'"};
constexpr std::array<std::string_view, 14> kStance = {
    "view", "opinion", "belief",     "feeling",   "impression", "understanding", "position",
    "take", "sense",   "hypothesis", "reasoning", "thinking",   "point of view", "guess"};

struct Holder {
  std::string_view name;
  std::string_view be;  // "am" / "are" / "is"
  bool third_person;    // "thinks" rather than "think"
};
constexpr std::array<Holder, 5> kHolders = {
    Holder{"i", "am", false}, Holder{"we", "are", false}, Holder{"my friends", "are", false},
    Holder{"my colleagues", "are", false}, Holder{"my family", "is", true}};
constexpr std::array<std::string_view, 6> kThinkBase = {"think",   "believe", "feel",
                                                        "suspect", "say",     "understand"};
constexpr std::array<std::string_view, 4> kBeStance = {
    "convinced that", "willing to bet that", "fairly sure that", "inclined to think that"};
constexpr std::array<std::string_view, 6> kOpinionFixed = {
    "in my opinion",        "in our opinion",         "in my view",
    "as far as i can tell", "personally i feel that", "my gut tells me that"};

void append_opinion_frame(Random& rng, std::string& out) {
  const double form = rng.uniform();
  if (form < 0.55) {  // "<whose> <stance> is that"
    out += pick(rng, kWhose);
    out += ' ';
    out += pick(rng, kStance);
    out += " is that";
    return;
  }
  if (form < 0.9) {
    const Holder& holder = kHolders[rng.uniform_int(kHolders.size())];
    out += holder.name;
    out += ' ';
    if (rng.uniform() < 0.6) {  // "<holder> think(s) that"
      const std::string_view verb = pick(rng, kThinkBase);
      out += verb;
      if (holder.third_person) out += 's';  // every verb in kThinkBase takes a plain -s
      out += " that";
    } else {  // "<holder> am/are/is convinced that"
      out += holder.be;
      out += ' ';
      out += pick(rng, kBeStance);
    }
    return;
  }
  out += pick(rng, kOpinionFixed);
}

// ---- topics shared by both classes ---------------------------------------------------------
constexpr std::array<std::string_view, 80> kFacts = {
    "the great wall of china cannot be seen from low orbit with the naked eye",
    "honey sealed in ancient tombs was still edible after thousands of years",
    "octopuses have three hearts and blue blood",
    "a day on venus lasts longer than a year on venus",
    "bananas are slightly radioactive because of their potassium",
    "the eiffel tower grows about 15 cm taller in the summer heat",
    "sharks were swimming in the oceans before trees grew on land",
    "wombats leave droppings shaped like little cubes",
    "the shortest war ever recorded lasted less than an hour",
    "a group of flamingos is called a flamboyance",
    "the human nose can tell apart more than a trillion smells",
    "sea otters hold hands while sleeping so they do not drift apart",
    "lightning hits the ground about 8 million times every day",
    "the öresund bridge joins denmark and sweden, turning into a tunnel halfway across",
    "the word \"robot\" was first used in a czech play from 1920",
    "there are more possible chess games than atoms in the observable universe",
    "a teaspoon of neutron star material would weigh billions of tons",
    "cows form close friendships and get stressed when they are separated",
    "the first webcam was pointed at a coffee pot in a university lab",
    "hot water can freeze faster than cold water under some conditions",
    "the shore of the dead sea lies more than 400 meters below sea level",
    "koalas can sleep for up to 22 hours a day",
    "lisbon’s old yellow trams climb streets steeper than a 13% grade",
    "a jiffy is a real unit of time used by physicists",
    "scotland has more than 400 different words for snow",
    "the moon moves about 3.8 cm further away from the earth every year",
    "an ordinary fluffy cloud weighs around 500 tonnes",
    "goldfish can remember things for months, not just a few seconds",
    "kurt gödel claimed to find a loophole in the american constitution",
    "vending machines cause more deaths each year than sharks",
    "the inventor of the frisbee had his ashes made into a frisbee",
    "mount everest rises by roughly 4 millimeters every year",
    "the world’s quietest room lets visitors hear their own heartbeat",
    "butterflies taste their food with their feet",
    "a strand of spider silk is stronger than a steel wire of the same width",
    "the longest attack of hiccups on record lasted 68 years",
    "norway once gave a knighthood to a penguin living in a scottish zoo",
    "a pineapple plant needs about two years to produce one fruit",
    "the first oranges were green, not orange",
    "a bolt of lightning is about five times hotter than the surface of the sun",
    "the average person walks the distance of five trips around the world in a lifetime",
    "there are more trees on earth than stars in the milky way",
    "saturn’s moon titan has lakes and rivers of liquid methane",
    "crows can recognize human faces and remember people who treated them badly",
    "the dot above a lowercase i is called a tittle",
    "polar bear fur is transparent, and the skin underneath is black",
    "the voyager 1 probe is more than 24 billion kilometers away from earth",
    "a cockroach can survive for a week without its head",
    "the tallest living tree is taller than a 30-story building",
    "playing the piano uses more muscles than running a marathon",
    "reading in dim light permanently damages your eyesight",
    "eating lots of carrots gives people night vision",
    "most of the dust in a house is made of dead skin",
    "ancient romans used crushed mouse brains as toothpaste",
    "the loudest animal on the planet is the sperm whale",
    "an ostrich’s eye is bigger than its brain",
    "the song \"happy birthday to you\" was under copyright until 2016",
    "venice sinks by about 2 millimeters every year",
    "humans share roughly 60% of their genes with bananas",
    "the first email was sent between two computers in 1971",
    "tomatoes were once thought to be poisonous in europe",
    "a blue whale’s heart is as big as a small car",
    "electric cars will outsell petrol cars worldwide by 2030",
    "remote work has raised average office productivity by 13% since 2020",
    "the price of a cup of coffee has tripled in the last ten years",
    "sleeping with a fan switched on causes muscle cramps",
    "most of the oxygen we breathe is made by plankton in the ocean",
    "the sahara desert was green and full of lakes about 6,000 years ago",
    "one in five adults has never learned how to swim",
    "greater tokyo, counting all of its suburbs, has more people than canada",
    "the advice to drink eight glasses of water a day is not based on any study",
    "the average smartphone owner checks their phone more than 140 times a day",
    "the café culture of vienna is listed as world heritage",
    "giraffes need only about 30 minutes of sleep a day",
    "some land snails can sleep for three years at a time",
    "olympic gold medals are made mostly of silver",
    "a hummingbird’s heart can beat more than 1,200 times per minute",
    "the amazon rainforest produces about 20% of the world’s oxygen",
    "the coldest temperature ever measured was minus 89 degrees celsius in antarctica",
    "kangaroos are unable to walk backwards"};

}  // namespace

void append_transcription(Random& rng, bool claim, std::string& out) {
  if (claim) {
    append_claim_frame(rng, out);
  } else {
    append_opinion_frame(rng, out);
  }
  out += ' ';
  out += pick(rng, kFacts);
}

}  // namespace claimlens::detail
