from user import preprocess
