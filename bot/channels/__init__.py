"""Input channels, one module each: REST (masked), WeChat Official Account, the web portal and console."""
