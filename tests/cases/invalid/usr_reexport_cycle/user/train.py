from user.fitting import train
