# Images, licences and AI attribution arrive with the media-credits work.
