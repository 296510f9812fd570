/* A small CSV shared by both consumers: tiktok_dataset.csv's quoting, CRLF line ends and a null. */
#ifndef CLAIMLENS_CONSUMER_SAMPLE_H
#define CLAIMLENS_CONSUMER_SAMPLE_H

static const char kSampleCsv[] =
    "verified_status,video_view_count,video_transcription_text\r\n"
    "verified,1200,\"i think that, maybe, cats sleep a lot\"\r\n"
    "not verified,560000,\"someone shared with me that \"\"cats\"\" can fly\"\r\n"
    "not verified,#N/A,\r\n"
    "verified,3400,my colleagues read that honey never spoils\r\n"
    "not verified,410000,a friend learned that octopuses have three hearts\r\n"
    "verified,870,i believe that dogs dream\r\n";
static const unsigned long kSampleRows = 6;

#endif
